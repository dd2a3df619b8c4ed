// The shared test helpers, by purpose: test apps (app), API clients (api),
// assertions, a clock the test moves (clock), request bodies and images
// (fixtures), pages (html), the web session (web), raw HTTP (http), mail as
// it is received (mail) and server processes (processes).
export * from './app.js';
export * from './api.js';
export * from './assertions.js';
export * from './clock.js';
export * from './fixtures.js';
export * from './html.js';
export * from './http.js';
export * from './mail.js';
export * from './processes.js';
export * from './two-factor.js';
export * from './web.js';

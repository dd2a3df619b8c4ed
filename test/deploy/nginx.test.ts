// deploy/nginx.conf in front of two real server processes (README, "Install
// on Debian"; docs/api.md, "Operations"): Debian's nginx, run with this
// file (its ports, certificate, instances and upload size replaced), over
// TLS with a self-signed certificate made here by openssl. Through it: HTTP
// redirects to HTTPS; the session cookie is Secure and HSTS is sent; login
// limits count the address that connected to the proxy, whatever
// X-Forwarded-For the client sends, and the instances ignore that header from
// anyone but the proxy; an upload at the size limit passes and larger ones
// are 413 in the API's shape; a stopped instance is passed over.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defined,
  freePort,
  noisePng,
  sleep,
  spawnServer,
  TEST_SECRET,
  useCleanups,
  waitForExit,
  waitUntilReady,
  type ServerProcess,
} from '../helpers/index.js';

const HOST = 'blog.example.com';
const closeAfter = useCleanups();
let dir: string;
let certificate: Buffer;
let httpPort: number;
let httpsPort: number;
let instances: ServerProcess[];
/** A picture of exactly MAX_UPLOAD_SIZE_BYTES: the instances are started with its size as the limit. */
let atLimit: Buffer;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection, over TLS to the proxy or plain HTTP to `port`, from `localAddress`. */
function send(
  options: { port: number; tls: boolean; method?: string; path: string; localAddress?: string },
  headers: http.OutgoingHttpHeaders = {},
  body?: Buffer | string,
): Promise<Answer> {
  const { port, tls, method = 'GET', path: requestPath, localAddress = '127.0.0.1' } = options;
  return new Promise((resolve, reject) => {
    const common = { host: '127.0.0.1', port, method, path: requestPath, localAddress, agent: false as const };
    const request = tls
      ? https.request({ ...common, headers: { host: HOST, ...headers }, servername: HOST, ca: certificate })
      : http.request({ ...common, headers: { host: HOST, ...headers } });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const throughProxy = (requestPath: string, method = 'GET', localAddress?: string) => ({
  port: httpsPort,
  tls: true,
  method,
  path: requestPath,
  localAddress,
});

/** deploy/nginx.conf with this test's ports, certificate, instances and upload size. */
function renderSite(upstreamPorts: number[], maxUploadBytes: number): string {
  const site = readFileSync('deploy/nginx.conf', 'utf8');
  const rendered = site
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace(/^\s*server 127\.0\.0\.1:\d+ (.*)$/gm, '')
    .replace(
      /upstream blog \{/,
      `upstream blog {\n${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}`,
    )
    .replace(/ssl_certificate \S+;/, `ssl_certificate ${path.join(dir, 'cert.pem')};`)
    .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${path.join(dir, 'key.pem')};`)
    .replace(/client_max_body_size \S+;/, `client_max_body_size ${Math.ceil((maxUploadBytes * 1.2) / 1024)}k;`);
  // Every replacement found its line.
  expect(rendered).toContain(`listen 127.0.0.1:${httpsPort} ssl`);
  expect(rendered).not.toContain('/etc/letsencrypt');
  expect(rendered).not.toMatch(/client_max_body_size 6m/);
  return rendered;
}

function startNginx(site: string): Promise<ChildProcess> {
  for (const sub of ['temp', 'logs']) mkdirSync(path.join(dir, sub), { recursive: true });
  writeFileSync(path.join(dir, 'blog.conf'), site);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, 'temp', name)};`;
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `error_log ${path.join(dir, 'logs', 'error.log')} warn;`,
      `pid ${path.join(dir, 'nginx.pid')};`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${path.join(dir, 'logs', 'access.log')};`,
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}`,
      `  include ${path.join(dir, 'blog.conf')};`,
      '}',
    ].join('\n'),
  );
  const nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  nginx.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return (async () => {
    for (let i = 0; i < 100; i++) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
      try {
        await send({ port: httpPort, tls: false, path: '/' });
        return nginx;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`nginx did not start: ${errors}`);
  })();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'blog-nginx-'));
  closeAfter(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`,
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' }); // prettier-ignore
  certificate = readFileSync(path.join(dir, 'cert.pem'));
  [httpPort, httpsPort] = [await freePort(), await freePort()];
  atLimit = await noisePng(120, 120);

  const dataDir = path.join(dir, 'data');
  instances = [];
  for (let i = 0; i < 2; i++) {
    const instance = await spawnServer({
      NODE_ENV: 'production',
      SECRET_KEY: TEST_SECRET,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PUBLIC_URL: `https://${HOST}:${httpsPort}`,
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_LOGIN_FAILURES: '2',
      MAX_UPLOAD_SIZE_BYTES: String(atLimit.length),
    });
    closeAfter(async () => {
      instance.child.kill('SIGTERM');
      await instance.exited;
    });
    // The first applies the migrations; the second starts on the migrated database.
    await waitUntilReady(instance, 30_000, `instance ${i}`);
    instances.push(instance);
  }
  const nginx = await startNginx(
    renderSite(
      instances.map((instance) => instance.port),
      atLimit.length,
    ),
  );
  closeAfter(async () => {
    nginx.kill('SIGQUIT');
    await new Promise((resolve) => nginx.once('exit', resolve));
  });
});

/** Registers through the proxy and returns the account. */
async function register(name: string) {
  const account = { username: name, email: `${name}@example.com`, password: `${name} has a long passphrase` };
  const created = await send(
    throughProxy('/api/users', 'POST'),
    { 'content-type': 'application/json' },
    JSON.stringify(account),
  );
  expect(created.status, created.body).toBe(201);
  return { ...account, id: (JSON.parse(created.body) as { id: number }).id };
}

const tokenRequest = (email: string, password: string) => new URLSearchParams({ username: email, password }).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('behind nginx, over TLS', () => {
  it('redirects plain HTTP to HTTPS', async () => {
    const answer = await send({ port: httpPort, tls: false, path: '/posts?skip=10' });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://${HOST}/posts?skip=10`);
  });

  it('sends HSTS and a Secure session cookie, since the proxy says the request came over HTTPS', async () => {
    const writer = await register('secure-writer');
    const home = await send(throughProxy('/'));
    expect(home.status).toBe(200);
    expect(home.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const signedIn = await send(
      throughProxy('/login', 'POST'),
      { ...FORM, 'sec-fetch-site': 'same-origin' },
      new URLSearchParams({ email: writer.email, password: writer.password }).toString(),
    );
    expect(signedIn.status, signedIn.body).toBe(303);
    const cookies = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []);
    expect(cookies.some((cookie) => /; Secure/i.test(cookie) && /HttpOnly/i.test(cookie))).toBe(true);
  });

  it('limits logins by the address that reached the proxy, whatever X-Forwarded-For says', async () => {
    const target = await register('limited');
    const guess = (from: string, spoofed: string) =>
      send(
        throughProxy('/api/users/token', 'POST', from),
        { ...FORM, 'x-forwarded-for': spoofed },
        tokenRequest(target.email, 'wrong'),
      );
    expect((await guess('127.0.0.5', '10.0.0.1')).status).toBe(401);
    expect((await guess('127.0.0.5', '10.0.0.2')).status).toBe(401);
    // A third guess from the same client, under yet another claimed address, is refused.
    expect((await guess('127.0.0.5', '10.0.0.3')).status).toBe(429);
    // Another client is not held back by that one.
    expect((await guess('127.0.0.6', '127.0.0.5')).status).toBe(401);
    // Straight to an instance, from an address that is not the proxy, the header counts for nothing:
    // claiming to be the held-back client does not get this one refused, nor let it pass as another.
    const direct = defined(instances[0]);
    const spoofing = await send(
      { port: direct.port, tls: false, method: 'POST', path: '/api/users/token', localAddress: '127.0.0.7' },
      { ...FORM, 'x-forwarded-for': '127.0.0.5' },
      tokenRequest(target.email, 'wrong'),
    );
    expect(spoofing.status).toBe(401);
  });

  it('takes an upload at the size limit; one larger is 413 in the API shape, from the server or the proxy', async () => {
    const owner = await register('uploader');
    const token = await send(throughProxy('/api/users/token', 'POST'), FORM, tokenRequest(owner.email, owner.password));
    expect(token.status, token.body).toBe(200);
    const { access_token } = JSON.parse(token.body) as { access_token: string };
    const upload = (file: Buffer) => {
      const boundary = 'blog-boundary-7f3a';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="me.png"\r\ncontent-type: image/png\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return send(
        throughProxy(`/api/users/${owner.id}/picture`, 'PATCH'),
        { authorization: `Bearer ${access_token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      );
    };
    const accepted = await upload(atLimit);
    expect(accepted.status, accepted.body).toBe(200);
    // One byte over: the server reads the file and refuses it; far over: the proxy refuses the body.
    const refusals = [
      [Buffer.concat([atLimit, Buffer.alloc(1)]), /^File too large/],
      [Buffer.alloc(atLimit.length * 2), /^Request body is too large$/],
    ] as const;
    for (const [file, detail] of refusals) {
      const refused = await upload(file);
      expect(refused.status).toBe(413);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(refused.body) as { detail: string };
      expect(Object.keys(body)).toEqual(['detail']);
      expect(body.detail).toMatch(detail);
    }
  });

  it('passes a stopped instance over: the site stays up', async () => {
    const stopped = defined(instances[0]);
    stopped.child.kill('SIGTERM');
    expect((await waitForExit(stopped, 15_000)).code).toBe(0);
    for (let i = 0; i < 6; i++) {
      const answer = await send(throughProxy('/api/posts'));
      expect(answer.status, answer.body).toBe(200);
    }
  });
});

// The pages of the site. Each takes plain data and returns the whole
// document; the routes in src/routes/pages/ decide which one to show.
export { accountPage } from './account.js';
export { draftsPage } from './drafts.js';
export { errorPage } from './error.js';
export { forgotPasswordPage } from './forgot-password.js';
export { homePage } from './home.js';
export { loginCodePage, loginPage } from './login.js';
export { postPage } from './post.js';
export { registerPage } from './register.js';
export { resetLinkInvalidPage, resetPasswordPage } from './reset-password.js';
export { searchPage } from './search.js';
export { twoFactorPage, type TwoFactorView } from './two-factor.js';
export { userPostsPage } from './user-posts.js';

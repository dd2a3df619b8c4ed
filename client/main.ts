// Entry point of /static/build/app.js. Every page works from the server's
// HTML; this adds modals, in-place form errors, "Load more" and the theme switch.
import './bootstrap.js';
import { setUpAccount } from './account.js';
import { setUpAdmin } from './admin.js';
import { fetchJson } from './api.js';
import { enhanceForm, formValues } from './forms.js';
import { setUpPosts } from './posts.js';
import { setUpSearch } from './search.js';
import { chooseTheme, followSystemTheme, savedTheme, type Theme } from './theme.js';

function setUpThemeSwitch() {
  const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('[data-theme-value]'));
  const mark = (theme: Theme) => {
    for (const button of buttons) {
      const active = button.dataset.themeValue === theme;
      button.classList.toggle('active', active);
      button.setAttribute('aria-pressed', String(active));
    }
  };
  mark(savedTheme());
  followSystemTheme();
  for (const button of buttons) {
    button.addEventListener('click', () => {
      const theme = button.dataset.themeValue as Theme;
      chooseTheme(theme);
      mark(theme);
    });
  }
}

/** Login and registration forms post to the server; with JavaScript, errors appear in place. */
function setUpPageForms() {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-page-form]')) {
    enhanceForm(form, async () => {
      const { redirect } = await fetchJson<{ redirect: string }>(form.action, formValues(form));
      location.assign(redirect);
    });
  }
}

setUpThemeSwitch();
setUpPageForms();
setUpPosts();
setUpSearch();
setUpAccount();
setUpAdmin();

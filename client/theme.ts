// The colour theme: light, dark, or auto (follow the system). Loaded as a
// small blocking script in <head> so the saved theme applies before the
// first paint; the switch in the navigation bar calls chooseTheme.
export type Theme = 'light' | 'dark' | 'auto';

const STORAGE_KEY = 'theme';
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

export function savedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto'; // storage disabled: follow the system
  }
}

export function applyTheme(theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'auto' && darkQuery().matches);
  document.documentElement.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
  document.documentElement.dataset.themeChoice = theme;
}

export function chooseTheme(theme: Theme): void {
  try {
    if (theme === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // not remembered, still applied
  }
  applyTheme(theme);
}

/** Keeps "auto" in step with the system while the page is open. */
export function followSystemTheme(): void {
  darkQuery().addEventListener('change', () => {
    if (savedTheme() === 'auto') applyTheme('auto');
  });
}

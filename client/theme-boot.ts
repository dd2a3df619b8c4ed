// Entry point of /static/build/theme.js (blocking, in <head>).
import { applyTheme, savedTheme } from './theme.js';

applyTheme(savedTheme());

// Short confirmations in the corner, announced to screen readers.
import { Toast } from './bootstrap.js';

export function toast(message: string, tone: 'success' | 'danger' = 'success'): void {
  const container = document.querySelector('#toasts');
  if (!container) return;
  const element = document.createElement('div');
  element.className = `toast align-items-center text-bg-${tone} border-0`;
  element.setAttribute('role', tone === 'danger' ? 'alert' : 'status');
  const body = document.createElement('div');
  body.className = 'd-flex';
  const text = document.createElement('div');
  text.className = 'toast-body';
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'btn-close btn-close-white me-2 m-auto';
  close.setAttribute('data-bs-dismiss', 'toast');
  close.setAttribute('aria-label', 'Close');
  body.append(text, close);
  element.append(body);
  container.append(element);
  element.addEventListener('hidden.bs.toast', () => {
    element.remove();
  });
  Toast.getOrCreateInstance(element, { delay: 4000 }).show();
}

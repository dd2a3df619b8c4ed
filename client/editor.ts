// The Write/Preview switch of the post editors (New Post, Edit). Preview asks
// the server to render the textarea (POST /api/posts/preview), so it shows
// exactly what the post will show, by the one renderer and sanitiser.
import { Tab } from './bootstrap.js';
import { fieldErrors } from '../src/shared/fields.js';
import { answer, api, ApiError } from './api.js';

function previewError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Could not show the preview. Please try again.';
  const { fields, general } = fieldErrors(error.detail);
  return `Could not show the preview: ${fields.content ?? (general.join(' ') || error.message)}`;
}

function part<T extends HTMLElement>(editor: HTMLElement, selector: string, type: new () => T): T {
  const element = editor.querySelector(selector);
  if (!(element instanceof type)) throw new Error(`post editor lacks ${selector}`);
  return element;
}

function setUpEditor(editor: HTMLElement) {
  const form = editor.closest('form');
  if (!form) return;
  const textarea = part(editor, 'textarea[name="content"]', HTMLTextAreaElement);
  const writeTab = part(editor, '[data-editor-tab="write"]', HTMLButtonElement);
  const previewTab = part(editor, '[data-editor-tab="preview"]', HTMLButtonElement);
  const preview = part(editor, '[data-preview]', HTMLElement);
  const alert = part(editor, '[data-preview-error]', HTMLElement);
  const showError = (message = '') => {
    alert.textContent = message;
    alert.classList.toggle('d-none', message === '');
  };
  // Only the answer to the latest request is shown: an earlier one may arrive later.
  let latest = 0;
  const render = async () => {
    const request = ++latest;
    showError();
    if (textarea.value.trim() === '') {
      preview.textContent = 'Nothing to preview yet.';
      return;
    }
    preview.textContent = 'Rendering the preview…';
    preview.setAttribute('aria-busy', 'true');
    try {
      const rendered = await answer(api.POST('/api/posts/preview', { body: { content: textarea.value } }));
      // Rendered and sanitised by the server, like every post's content_html.
      if (request === latest) preview.innerHTML = rendered.content_html;
    } catch (error) {
      if (request !== latest) return;
      preview.textContent = '';
      showError(previewError(error));
    } finally {
      if (request === latest) preview.removeAttribute('aria-busy');
    }
  };
  previewTab.addEventListener('show.bs.tab', () => void render());

  const write = () => {
    Tab.getOrCreateInstance(writeTab).show();
  };
  // A submission goes back to Write first: the fields' errors are shown, and
  // take the focus, there. Registered before the form's own submit handler.
  form.addEventListener('submit', write);
  form.addEventListener('reset', () => {
    write();
    preview.textContent = '';
    showError();
  });
  form.closest('.modal')?.addEventListener('show.bs.modal', write);
}

/** Call before the forms' submit handlers are set up (see setUpEditor). */
export function setUpEditors(): void {
  document.querySelectorAll<HTMLElement>('[data-markdown-editor]').forEach(setUpEditor);
}

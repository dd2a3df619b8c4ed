// Form handling shared by every form: the browser's own constraint checks
// first, then the server's answer, each message shown next to its field.
import type { ErrorDetail } from '../src/errors.js';
import { fieldErrors } from '../src/shared/fields.js';
import { ApiError } from './api.js';

type Control = HTMLInputElement | HTMLTextAreaElement;

const controls = (form: HTMLFormElement) => Array.from(form.querySelectorAll<Control>('input[name], textarea[name]'));

function setFieldError(form: HTMLFormElement, name: string, message: string): boolean {
  const control = form.querySelector<Control>(`[name="${CSS.escape(name)}"]`);
  const feedback = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
  if (!control || !feedback || control.type === 'hidden') return false;
  control.classList.add('is-invalid');
  control.setAttribute('aria-invalid', 'true');
  feedback.textContent = message;
  return true;
}

function setGeneralError(form: HTMLFormElement, messages: string[]) {
  const alert = form.querySelector<HTMLElement>('[data-form-error]');
  if (!alert) return;
  alert.textContent = messages.join(' ');
  alert.classList.toggle('d-none', messages.length === 0);
}

export function clearErrors(form: HTMLFormElement): void {
  for (const control of controls(form)) {
    control.classList.remove('is-invalid');
    control.removeAttribute('aria-invalid');
  }
  for (const feedback of form.querySelectorAll<HTMLElement>('[data-error-for]')) feedback.textContent = '';
  setGeneralError(form, []);
}

export function showErrors(form: HTMLFormElement, detail: ErrorDetail): void {
  const { fields, general } = fieldErrors(detail);
  for (const [name, message] of Object.entries(fields)) {
    if (!setFieldError(form, name, message)) general.push(message);
  }
  setGeneralError(form, general);
  form.querySelector<Control>('.is-invalid')?.focus();
}

/** The browser's checks (required, lengths, email), shown like the server's. */
function checkLocally(form: HTMLFormElement): boolean {
  let valid = true;
  for (const control of controls(form)) {
    if (control.checkValidity()) continue;
    valid = false;
    setFieldError(form, control.name, control.validationMessage);
  }
  form.querySelector<Control>('.is-invalid')?.focus();
  return valid;
}

/**
 * Takes over a form's submission: local checks, then `submit` (with the
 * button that submitted it, when it has a value of its own), with errors shown in place.
 */
export function enhanceForm(
  form: HTMLFormElement,
  submit: (form: HTMLFormElement, submitter: HTMLButtonElement | null) => Promise<void>,
): void {
  form.noValidate = true;
  const buttons = Array.from(form.querySelectorAll<HTMLButtonElement>('button[type="submit"]'));
  const setBusy = (busy: boolean) => {
    for (const button of buttons) button.disabled = busy;
    if (busy) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  };
  const send = async (submitter: HTMLButtonElement | null) => {
    setBusy(true);
    try {
      await submit(form, submitter);
    } catch (error) {
      if (error instanceof ApiError) showErrors(form, error.detail);
      else {
        showErrors(form, 'Something went wrong. Please try again.');
        console.warn(error);
      }
    } finally {
      setBusy(false);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const submitter = event.submitter instanceof HTMLButtonElement && event.submitter.name ? event.submitter : null;
    if (checkLocally(form)) void send(submitter);
  });
}

/**
 * The form's fields, and the submitting button's name and value, as the
 * browser would send them. `Body` is the request body the form is made for
 * (inferred where the API client takes it): the server validates what it gets.
 */
export function formValues<Body = Record<string, string>>(
  form: HTMLFormElement,
  submitter: HTMLButtonElement | null = null,
): NonNullable<Body> {
  const values: Record<string, string> = {};
  for (const control of controls(form)) if (control.type !== 'file') values[control.name] = control.value;
  if (submitter) values[submitter.name] = submitter.value;
  return values as NonNullable<Body>;
}

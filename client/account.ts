// The account page: profile, picture (with a preview before upload) and
// account deletion.
import type { UserPrivateBody } from '../src/schemas/users.js';
import { answer, api, multipart } from './api.js';
import { enhanceForm, formValues, showErrors } from './forms.js';
import { toast } from './toast.js';

/** The account a form of this page is about. */
const userOf = (form: HTMLFormElement) => ({ path: { user_id: Number(form.dataset.userId) } });

function setUpProfile(form: HTMLFormElement) {
  const saved = form.querySelector<HTMLElement>('[data-form-success]');
  enhanceForm(form, async () => {
    saved?.classList.add('d-none');
    const user = await answer(api.PATCH('/api/users/{user_id}', { params: userOf(form), body: formValues(form) }));
    document.querySelectorAll('[data-current-username]').forEach((element) => (element.textContent = user.username));
    saved?.classList.remove('d-none');
  });
}

function setUpPicture(form: HTMLFormElement) {
  const input = form.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) return;
  const current = document.querySelector<HTMLImageElement>('[data-current-avatar]');
  const removeButton = form.querySelector<HTMLButtonElement>('[data-remove-picture]');
  // Made only while a file is chosen: an <img> without a src is not valid HTML.
  let preview: HTMLImageElement | undefined;

  const showPicture = (user: UserPrivateBody) => {
    if (current) current.src = user.image_path;
    removeButton?.classList.toggle('d-none', !user.image_file);
  };
  const clearPreview = () => {
    if (preview) URL.revokeObjectURL(preview.src);
    preview?.remove();
    preview = undefined;
  };

  input.addEventListener('change', () => {
    clearPreview();
    const file = input.files?.[0];
    if (!file || !current) return;
    preview = Object.assign(document.createElement('img'), {
      src: URL.createObjectURL(file),
      alt: 'Preview of the picture to upload',
      width: 96,
      height: 96,
      className: 'rounded-circle avatar',
    });
    preview.dataset.picturePreview = '';
    current.after(preview);
  });

  enhanceForm(form, async () => {
    const file = input.files?.[0];
    if (!file) return;
    const data = new FormData();
    data.append('file', file);
    const user = await answer(
      api.PATCH('/api/users/{user_id}/picture', { params: userOf(form), body: multipart(data) }),
    );
    showPicture(user);
    clearPreview();
    form.reset();
    toast('Your new picture is saved.');
  });

  const removePicture = async (button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      showPicture(await answer(api.DELETE('/api/users/{user_id}/picture', { params: userOf(form) })));
      toast('Your picture is removed.');
    } catch (error) {
      showErrors(form, error instanceof Error ? error.message : 'Could not remove the picture.');
    } finally {
      button.disabled = false;
    }
  };
  removeButton?.addEventListener('click', () => void removePicture(removeButton));
}

function setUpDeleteAccount(form: HTMLFormElement) {
  enhanceForm(form, async () => {
    await answer(api.DELETE('/api/users/{user_id}', { params: userOf(form) }));
    // The page's sign-out, not the API: the account is gone either way.
    await fetch('/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
    location.assign('/');
  });
}

export function setUpAccount(): void {
  const profile = document.querySelector<HTMLFormElement>('#profile-form');
  if (profile) setUpProfile(profile);
  const picture = document.querySelector<HTMLFormElement>('#picture-form');
  if (picture) setUpPicture(picture);
  const deletion = document.querySelector<HTMLFormElement>('#delete-account-form');
  if (deletion) setUpDeleteAccount(deletion);
}

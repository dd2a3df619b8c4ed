import { Type } from 'typebox';
import { Password, type UserPrivateBody } from '../../schemas/users.js';
import { FormCard, FormError, formFields, type FormState } from '../components/index.js';
import { lengthHint } from '../form-rules.js';
import { renderPage } from '../layout.js';

/** The fields the visitor fills in; the confirmation obeys the same rules as the password. */
const NewPasswordForm = Type.Object({ new_password: Password, confirm_password: Password });

/** Chooses a new password with the token of a reset link, carried in a hidden field. */
export function resetPasswordPage(currentUser: UserPrivateBody | null, token: string, state: FormState = {}) {
  const field = formFields('reset', NewPasswordForm, state);
  return renderPage(
    'Choose a new password',
    currentUser,
    <FormCard
      heading="Choose a new password"
      below={
        <>
          Link not working? <a href="/forgot-password">Ask for a new one</a>
        </>
      }
    >
      <form id="reset-form" method="post" action="/reset-password" data-page-form>
        <FormError message={state.general?.join(' ')} />
        <input type="hidden" name="token" value={token} />
        {field('new_password', {
          label: 'New password',
          type: 'password',
          autocomplete: 'new-password',
          hint: lengthHint(NewPasswordForm, 'new_password'),
        })}
        {field('confirm_password', {
          label: 'Repeat the new password',
          type: 'password',
          autocomplete: 'new-password',
        })}
        <button type="submit" class="btn btn-primary">
          Set the password
        </button>
      </form>
    </FormCard>,
    { noindex: true },
  );
}

/** What a link that is no longer (or never was) valid opens. */
export function resetLinkInvalidPage(currentUser: UserPrivateBody | null) {
  return renderPage(
    'Reset link not valid',
    currentUser,
    <FormCard
      heading="This link does not work"
      below={
        <>
          Remembered your password? <a href="/login">Log in</a>
        </>
      }
    >
      <p>
        The password reset link is invalid or has expired. A link works once, for a limited time, and only the newest
        one sent to an address does.
      </p>
      <a href="/forgot-password" class="btn btn-primary">
        Send a new link
      </a>
    </FormCard>,
    { noindex: true },
  );
}

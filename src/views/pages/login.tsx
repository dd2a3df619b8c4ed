import { TwoFactorDisable } from '../../schemas/two-factor.js';
import { UserCreate, type UserPrivateBody } from '../../schemas/users.js';
import { FormCard, FormError, formFields, type FormState } from '../components/index.js';
import { inputRules } from '../form-rules.js';
import { renderPage } from '../layout.js';

/** The login form; `next` is where a successful login leads. It points to registration unless that is closed. */
export function loginPage(
  currentUser: UserPrivateBody | null,
  next: string,
  state: FormState = {},
  canRegister = true,
) {
  const field = formFields('login', UserCreate, state);
  return renderPage(
    'Log in',
    currentUser,
    <FormCard
      heading="Log in"
      below={
        canRegister && (
          <>
            New here? <a href="/register">Create an account</a>
          </>
        )
      }
    >
      <form id="login-form" method="post" action="/login" data-page-form>
        <FormError message={state.general?.join(' ')} />
        <input type="hidden" name="next" value={next} />
        {field('email', { label: 'Email', type: 'email', autocomplete: 'username' })}
        {/* Only required: the length rule is for choosing a password, a login just checks it. */}
        {field('password', {
          label: 'Password',
          type: 'password',
          autocomplete: 'current-password',
          rules: { required: inputRules(UserCreate, 'password').required },
        })}
        <p class="mb-3">
          <a href="/forgot-password">Forgot your password?</a>
        </p>
        <button type="submit" class="btn btn-primary">
          Log in
        </button>
      </form>
    </FormCard>,
    { description: 'Log in to write, edit and publish your posts.', noindex: true },
  );
}

/** The login's second step, for an account with two-factor sign-in on: the password was right, a code must follow. */
export function loginCodePage(next: string, state: FormState = {}) {
  const field = formFields('login-code', TwoFactorDisable, state);
  return renderPage(
    'Two-factor code',
    null,
    <FormCard heading="Two-factor code" below={<a href="/login">Start again</a>}>
      <form id="login-code-form" method="post" action="/login/two-factor" data-page-form>
        <FormError message={state.general?.join(' ')} />
        <input type="hidden" name="next" value={next} />
        {field('code', {
          label: 'Code from your authenticator app, or a recovery code',
          autocomplete: 'one-time-code',
          inputmode: 'numeric',
        })}
        <button type="submit" class="btn btn-primary">
          Log in
        </button>
      </form>
    </FormCard>,
    { noindex: true },
  );
}

import { PasswordResetRequest, type UserPrivateBody } from '../../schemas/users.js';
import { FormCard, FormError, formFields, type FormState } from '../components/index.js';
import { renderPage } from '../layout.js';

interface ForgotPasswordProps {
  /** The answer every request gets, shown once one was sent. */
  notice?: string | undefined;
  state?: FormState;
}

/** Asks for the address of an account, to mail it a link that sets a new password. */
export function forgotPasswordPage(currentUser: UserPrivateBody | null, { notice, state = {} }: ForgotPasswordProps) {
  const field = formFields('forgot', PasswordResetRequest, state);
  return renderPage(
    'Forgot your password?',
    currentUser,
    <FormCard
      heading="Forgot your password?"
      below={
        <>
          Remembered it? <a href="/login">Log in</a>
        </>
      }
    >
      {notice && (
        <div class="alert alert-success" role="status">
          {notice}
        </div>
      )}
      <p>Enter the email address of your account: we will mail it a link to choose a new password.</p>
      <form id="forgot-form" method="post" action="/forgot-password" data-page-form>
        <FormError message={state.general?.join(' ')} />
        {field('email', { label: 'Email', type: 'email', autocomplete: 'email' })}
        <button type="submit" class="btn btn-primary">
          Send the link
        </button>
      </form>
    </FormCard>,
    { description: 'Forgot your password? Get a link by mail to choose a new one.', noindex: true },
  );
}

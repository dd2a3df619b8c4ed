import { UserCreate, type UserPrivateBody } from '../../schemas/users.js';
import { FormCard, FormError, formFields, type FormState } from '../components/index.js';
import { lengthHint } from '../form-rules.js';
import { renderPage } from '../layout.js';

/** The registration form; the password is never shown again. */
export function registerPage(currentUser: UserPrivateBody | null, state: FormState = {}) {
  const field = formFields('register', UserCreate, state);
  return renderPage(
    'Register',
    currentUser,
    <FormCard
      heading="Create an account"
      below={
        <>
          Already have an account? <a href="/login">Log in</a>
        </>
      }
    >
      <form id="register-form" method="post" action="/register" data-page-form>
        <FormError message={state.general?.join(' ')} />
        {field('username', { label: 'Username', autocomplete: 'nickname' })}
        {field('email', { label: 'Email', type: 'email', autocomplete: 'email' })}
        {field('password', {
          label: 'Password',
          type: 'password',
          autocomplete: 'new-password',
          hint: lengthHint(UserCreate, 'password'),
        })}
        <button type="submit" class="btn btn-primary">
          Register
        </button>
      </form>
    </FormCard>,
    { description: 'Create an account to write and publish posts.', noindex: true },
  );
}

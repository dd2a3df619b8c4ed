import { UserCreate, type UserPrivateBody } from '../../schemas/users.js';
import type { RegistrationGate } from '../../services/invitations.js';
import { FormCard, FormError, formFields, type FormState } from '../components/index.js';
import { lengthHint } from '../form-rules.js';
import { renderPage } from '../layout.js';

const logInInstead = (
  <>
    Already have an account? <a href="/login">Log in</a>
  </>
);

/** The registration form; with an invitation, for its address, carrying its token. The password is never shown again. */
function registerForm(gate: { state: 'open' } | { state: 'invited'; email: string; invite: string }, state: FormState) {
  const invited = gate.state === 'invited' ? gate : undefined;
  const field = formFields('register', UserCreate, {
    ...state,
    values: { ...state.values, ...(invited && !state.values?.email && { email: invited.email }) },
  });
  return (
    <FormCard heading="Create an account" below={logInInstead}>
      {invited && <p>You were invited to create an account for this address.</p>}
      <form id="register-form" method="post" action="/register" data-page-form>
        <FormError message={state.general?.join(' ')} />
        {invited && <input type="hidden" name="invite" value={invited.invite} />}
        {field('username', { label: 'Username', autocomplete: 'nickname' })}
        {field('email', {
          label: 'Email',
          type: 'email',
          autocomplete: 'email',
          ...(invited && { hint: 'The invitation is for this address.' }),
        })}
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
    </FormCard>
  );
}

/** Why there is no form: registration is closed, or needs an invitation this visitor does not have. */
function noRegistration(gate: Exclude<RegistrationGate, { state: 'open' | 'invited' }>, state: FormState) {
  const closed = gate.state === 'closed';
  return (
    <FormCard heading={closed ? 'Registration is closed' : 'An invitation is needed'} below={logInInstead}>
      <FormError message={state.general?.join(' ')} />
      {closed ? (
        <p>This site does not take new accounts at the moment.</p>
      ) : (
        <>
          <p>Accounts on this site are made by invitation: an admin sends you a link by mail, which opens this form.</p>
          {gate.linkInvalid && (
            <p data-invitation-invalid>
              The invitation link you followed is not valid: it was used, revoked or replaced by a newer one, or it has
              expired. Ask the admin who invited you for a new one.
            </p>
          )}
        </>
      )}
    </FormCard>
  );
}

/** The register page as REGISTRATION and the visitor's invitation (if any) allow. */
export function registerPage(currentUser: UserPrivateBody | null, gate: RegistrationGate, state: FormState = {}) {
  const content =
    gate.state === 'open' || gate.state === 'invited' ? registerForm(gate, state) : noRegistration(gate, state);
  return renderPage('Register', currentUser, content, {
    description: 'Create an account to write and publish posts.',
    noindex: true,
  });
}

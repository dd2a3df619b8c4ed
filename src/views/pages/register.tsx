import { UserCreate, type UserPrivateBody } from '../../schemas/users.js';
import { Field, FormError } from '../components.js';
import { inputRules, lengthHint } from '../form-rules.js';
import { renderPage } from '../layout.js';
import type { FormState } from './form-state.js';

/** The registration form; the password is never shown again. */
export function registerPage(currentUser: UserPrivateBody | null, state: FormState = {}) {
  return renderPage(
    'Register',
    currentUser,
    <>
      <div class="card">
        <div class="card-body">
          <h1 class="h3 mb-3">Create an account</h1>
          <form id="register-form" method="post" action="/register" data-page-form>
            <FormError message={state.general?.join(' ')} />
            <Field
              form="register"
              name="username"
              label="Username"
              autocomplete="nickname"
              {...inputRules(UserCreate, 'username')}
              value={state.values?.username}
              error={state.fields?.username}
            />
            <Field
              form="register"
              name="email"
              label="Email"
              type="email"
              autocomplete="email"
              {...inputRules(UserCreate, 'email')}
              value={state.values?.email}
              error={state.fields?.email}
            />
            <Field
              form="register"
              name="password"
              label="Password"
              type="password"
              autocomplete="new-password"
              {...inputRules(UserCreate, 'password')}
              hint={lengthHint(UserCreate, 'password')}
              error={state.fields?.password}
            />
            <button type="submit" class="btn btn-primary">
              Register
            </button>
          </form>
          <p class="mt-3 mb-0">
            Already have an account? <a href="/login">Log in</a>
          </p>
        </div>
      </div>
    </>,
  );
}

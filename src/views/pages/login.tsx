import { UserCreate, type UserPrivateBody } from '../../schemas/users.js';
import { Field, FormError } from '../components.js';
import { inputRules } from '../form-rules.js';
import { renderPage } from '../layout.js';
import type { FormState } from './form-state.js';

/** The login form; `next` is where a successful login leads. */
export function loginPage(currentUser: UserPrivateBody | null, next: string, state: FormState = {}) {
  return renderPage(
    'Log in',
    currentUser,
    <>
      <div class="card">
        <div class="card-body">
          <h1 class="h3 mb-3">Log in</h1>
          <form id="login-form" method="post" action="/login" data-page-form>
            <FormError message={state.general?.join(' ')} />
            <input type="hidden" name="next" value={next} />
            <Field
              form="login"
              name="email"
              label="Email"
              type="email"
              autocomplete="username"
              {...inputRules(UserCreate, 'email')}
              value={state.values?.email}
              error={state.fields?.email}
            />
            {/* Only required: the length rule is for choosing a password, a login just checks it. */}
            <Field
              form="login"
              name="password"
              label="Password"
              type="password"
              autocomplete="current-password"
              required={inputRules(UserCreate, 'password').required}
              error={state.fields?.password}
            />
            <button type="submit" class="btn btn-primary">
              Log in
            </button>
          </form>
          <p class="mt-3 mb-0">
            New here? <a href="/register">Create an account</a>
          </p>
        </div>
      </div>
    </>,
  );
}

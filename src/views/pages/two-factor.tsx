import type { TwoFactorEnrolment } from '../../services/two-factor.js';
import { TwoFactorBegin, TwoFactorConfirm, TwoFactorDisable } from '../../schemas/two-factor.js';
import type { UserPrivateBody } from '../../schemas/users.js';
import { FormCard, FormError, formFields, type FormState } from '../components/index.js';
import { renderPage } from '../layout.js';

/** What /account/two-factor shows: each step of turning it on, or the state it is in. */
export type TwoFactorView =
  | { step: 'off' }
  | { step: 'scan'; enrolment: TwoFactorEnrolment }
  | { step: 'recovery-codes'; codes: string[] }
  | { step: 'on'; recoveryCodesLeft: number };

const CODE_INPUT = { label: 'Code from the app', autocomplete: 'one-time-code', inputmode: 'numeric' } as const;

function TurnOn({ state }: { state: FormState }) {
  const field = formFields('two-factor-begin', TwoFactorBegin, state);
  return (
    <form id="two-factor-begin-form" method="post" action="/account/two-factor">
      <p>
        With two-factor sign-in, logging in takes your password and a code from an authenticator app on your phone, so a
        stolen password alone does not open your account.
      </p>
      <FormError message={state.general?.join(' ')} />
      {field('current_password', { label: 'Your password', type: 'password', autocomplete: 'current-password' })}
      <button type="submit" class="btn btn-primary">
        Set up two-factor sign-in
      </button>
    </form>
  );
}

function Scan({ enrolment, state }: { enrolment: TwoFactorEnrolment; state: FormState }) {
  const field = formFields('two-factor-confirm', TwoFactorConfirm, state);
  return (
    <>
      <ol>
        <li>Scan this code with an authenticator app, or type the key below into it.</li>
        <li>Enter the six-digit code the app then shows.</li>
      </ol>
      {/* Made on the server by the qrcode package from the otpauth URL: paths only, no script or style. */}
      <div
        class="qr-code mb-3"
        role="img"
        aria-label="QR code of the two-factor key"
        dangerouslySetInnerHTML={{ __html: enrolment.qr_svg }}
      />
      <p>
        Key:{' '}
        <code class="text-break user-select-all" data-two-factor-secret>
          {enrolment.secret}
        </code>
      </p>
      <form id="two-factor-confirm-form" method="post" action="/account/two-factor/confirm">
        <FormError message={state.general?.join(' ')} />
        {field('code', CODE_INPUT)}
        <button type="submit" class="btn btn-primary">
          Turn on
        </button>
      </form>
    </>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <>
      <div class="alert alert-success" role="status">
        Two-factor sign-in is on.
      </div>
      <p>
        Keep these recovery codes somewhere safe. Each one signs you in once in place of a code, if you lose your phone.
        They are shown only now.
      </p>
      <ul class="list-unstyled font-monospace fs-5" data-recovery-codes>
        {codes.map((code) => (
          <li>{code}</li>
        ))}
      </ul>
      <a class="btn btn-primary" href="/account">
        I have saved them
      </a>
    </>
  );
}

function TurnOff({ recoveryCodesLeft, state }: { recoveryCodesLeft: number; state: FormState }) {
  const field = formFields('two-factor-disable', TwoFactorDisable, state);
  return (
    <form id="two-factor-disable-form" method="post" action="/account/two-factor/disable">
      <p data-two-factor-state>
        Two-factor sign-in is on. You have{' '}
        {recoveryCodesLeft === 1 ? '1 recovery code' : `${recoveryCodesLeft} recovery codes`} left.
      </p>
      <FormError message={state.general?.join(' ')} />
      {field('current_password', { label: 'Your password', type: 'password', autocomplete: 'current-password' })}
      {field('code', { ...CODE_INPUT, label: 'Code from the app, or a recovery code', inputmode: 'text' })}
      <button type="submit" class="btn btn-outline-danger">
        Turn off two-factor sign-in
      </button>
    </form>
  );
}

export function twoFactorPage(currentUser: UserPrivateBody, view: TwoFactorView, state: FormState = {}) {
  return renderPage(
    'Two-factor sign-in',
    currentUser,
    <FormCard heading="Two-factor sign-in" below={<a href="/account">Back to your account</a>}>
      {view.step === 'off' && <TurnOn state={state} />}
      {view.step === 'scan' && <Scan enrolment={view.enrolment} state={state} />}
      {view.step === 'recovery-codes' && <RecoveryCodes codes={view.codes} />}
      {view.step === 'on' && <TurnOff recoveryCodesLeft={view.recoveryCodesLeft} state={state} />}
    </FormCard>,
    { noindex: true },
  );
}

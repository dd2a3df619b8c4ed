import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { PasswordChange, UserUpdate, type UserPrivateBody } from '../../schemas/users.js';
import { FormError, formFields, ModalForm, type FormState } from '../components/index.js';
import { lengthHint } from '../form-rules.js';
import { renderPage } from '../layout.js';

/** The profile form always sends both fields of the update, so neither may be left empty. */
const ProfileForm = Type.Required(UserUpdate);

/** A card of the account page, labelled by its heading. */
function AccountSection(props: { id: string; title: string; danger?: boolean; children: ComponentChildren }) {
  const headingId = `${props.id}-heading`;
  return (
    <section class={props.danger ? 'card border-danger' : 'card mb-4'} aria-labelledby={headingId}>
      <div class="card-body">
        <h2 class={props.danger ? 'h5 card-title text-danger' : 'h5 card-title'} id={headingId}>
          {props.title}
        </h2>
        {props.children}
      </div>
    </section>
  );
}

function ProfileSection({ currentUser }: { currentUser: UserPrivateBody }) {
  const field = formFields('profile', ProfileForm);
  return (
    <AccountSection id="profile" title="Profile">
      <form id="profile-form" data-user-id={String(currentUser.id)}>
        <FormError />
        <div class="alert alert-success d-none" role="status" data-form-success>
          Profile saved.
        </div>
        {field('username', { label: 'Username', value: currentUser.username })}
        {field('email', { label: 'Email', type: 'email', value: currentUser.email })}
        <button type="submit" class="btn btn-primary">
          Save
        </button>
      </form>
    </AccountSection>
  );
}

function PostsSection({ currentUser, drafts }: { currentUser: UserPrivateBody; drafts: number }) {
  return (
    <AccountSection id="posts" title="Your posts">
      <ul class="list-unstyled mb-0">
        <li>
          <a href={`/users/${currentUser.id}/posts`}>Your published posts</a>
        </li>
        <li>
          <a href="/drafts" data-drafts-link>
            {drafts === 1 ? 'Your draft (1)' : `Your drafts (${drafts})`}
          </a>
        </li>
      </ul>
    </AccountSection>
  );
}

/** The current picture and the upload form; the browser code shows a preview of the chosen file beside it. */
function PictureSection({ currentUser }: { currentUser: UserPrivateBody }) {
  return (
    <AccountSection id="picture" title="Profile picture">
      <div class="d-flex flex-wrap align-items-center gap-3 mb-3">
        <img
          src={currentUser.image_path}
          alt="Your current profile picture"
          width={96}
          height={96}
          class="rounded-circle avatar"
          data-current-avatar
        />
      </div>
      <form id="picture-form" data-user-id={String(currentUser.id)}>
        <FormError />
        <div class="mb-3">
          <label for="picture-file" class="form-label">
            Choose a picture
          </label>
          <input
            id="picture-file"
            name="file"
            type="file"
            class="form-control"
            accept="image/jpeg,image/png,image/gif,image/webp"
            aria-describedby="picture-file-error picture-file-hint"
            required
          />
          <div class="invalid-feedback" id="picture-file-error" data-error-for="file"></div>
          <div class="form-text" id="picture-file-hint">
            JPEG, PNG, GIF or WebP. It is cropped to a square.
          </div>
        </div>
        <div class="d-flex gap-2">
          <button type="submit" class="btn btn-primary">
            Upload
          </button>
          {/* Only while the user has a picture of their own; the browser code keeps it up to date. */}
          <button
            type="button"
            class={`btn btn-outline-secondary${currentUser.image_file ? '' : ' d-none'}`}
            data-remove-picture
          >
            Remove picture
          </button>
        </div>
      </form>
    </AccountSection>
  );
}

/** What the password form shows: what was wrong with a change, or that one was made. */
export interface PasswordFormView {
  state?: FormState;
  changed?: boolean;
}

/** A plain form post (it works without JavaScript); the browser code shows its errors in place. */
function PasswordSection({ view }: { view: PasswordFormView }) {
  const state = view.state ?? {};
  const field = formFields('password', PasswordChange, state);
  return (
    <AccountSection id="password" title="Password">
      <form id="password-form" method="post" action="/account/password" data-page-form>
        {view.changed && (
          <div class="alert alert-success" role="status">
            Your password is changed. Everywhere else you were signed in, you are now signed out.
          </div>
        )}
        <FormError message={state.general?.join(' ')} />
        {field('current_password', { label: 'Current password', type: 'password', autocomplete: 'current-password' })}
        {field('new_password', {
          label: 'New password',
          type: 'password',
          autocomplete: 'new-password',
          hint: lengthHint(PasswordChange, 'new_password'),
        })}
        <button type="submit" class="btn btn-primary">
          Change password
        </button>
      </form>
    </AccountSection>
  );
}

function TwoFactorSection({ currentUser }: { currentUser: UserPrivateBody }) {
  return (
    <AccountSection id="two-factor" title="Two-factor sign-in">
      <p data-two-factor-state>
        {currentUser.two_factor
          ? 'On: signing in takes your password and a code from your authenticator app.'
          : 'Off: signing in takes only your password.'}
      </p>
      <a class="btn btn-outline-primary" href="/account/two-factor">
        {currentUser.two_factor ? 'Manage two-factor sign-in' : 'Set up two-factor sign-in'}
      </a>
    </AccountSection>
  );
}

function DeleteAccountSection({ postsText }: { postsText: string }) {
  return (
    <AccountSection id="danger" title="Delete account" danger>
      <p>Deleting your account removes {postsText}, your profile picture and your login. It cannot be undone.</p>
      <button type="button" class="btn btn-danger" data-bs-toggle="modal" data-bs-target="#delete-account-modal">
        Delete account
      </button>
    </AccountSection>
  );
}

function DeleteAccountModal({ currentUser, postsText }: { currentUser: UserPrivateBody; postsText: string }) {
  return (
    <ModalForm
      id="delete-account-modal"
      title="Delete your account?"
      form={{ id: 'delete-account-form', 'data-user-id': String(currentUser.id) }}
      footer={{ dismiss: 'Keep my account', submit: 'Delete everything', variant: 'danger' }}
    >
      <p>
        This deletes the account <strong class="text-break">{currentUser.username}</strong>, {postsText} and your
        profile picture. You will be logged out. This cannot be undone.
      </p>
    </ModalForm>
  );
}

/** The signed-in user's own account: profile, picture, password, two-factor sign-in, and deleting it all. */
export function accountPage(
  currentUser: UserPrivateBody,
  postCounts: { all: number; drafts: number },
  password: PasswordFormView = {},
) {
  const postCount = postCounts.all;
  const postsText = postCount === 1 ? 'your post' : `your ${postCount} posts`;
  return renderPage(
    'Your account',
    currentUser,
    <>
      <h1 class="h2 mb-4">Your account</h1>
      <ProfileSection currentUser={currentUser} />
      <PostsSection currentUser={currentUser} drafts={postCounts.drafts} />
      <PictureSection currentUser={currentUser} />
      <PasswordSection view={password} />
      <TwoFactorSection currentUser={currentUser} />
      <DeleteAccountSection postsText={postsText} />
      <DeleteAccountModal currentUser={currentUser} postsText={postsText} />
    </>,
    { noindex: true },
  );
}

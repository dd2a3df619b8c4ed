// The pages of the site. Each takes plain data and returns the whole
// document; the routes in src/routes/pages.ts decide which one to show.
import type { PostPageBody, PostResponseBody } from '../schemas/posts.js';
import type { UserPrivateBody, UserPublicBody } from '../schemas/users.js';
import { Avatar, Field, FormError, Modal, PostCard, PostList, TextArea } from './components.js';
import { renderPage, type Viewer } from './layout.js';

function listProps(page: PostPageBody, pagePath: string, apiPath: string, emptyText: string) {
  return {
    posts: page.posts,
    hasMore: page.has_more,
    nextSkip: page.skip + page.posts.length,
    limit: page.limit,
    pagePath,
    apiPath,
    emptyText,
  };
}

export function homePage(viewer: Viewer, page: PostPageBody) {
  return renderPage(
    'Home',
    viewer.user,
    <>
      <h1 class="visually-hidden">Latest posts</h1>
      <PostList {...listProps(page, '/', '/api/posts', 'No posts yet.')} />
    </>,
  );
}

export function userPostsPage(viewer: Viewer, author: UserPublicBody, page: PostPageBody) {
  return renderPage(
    `Posts by ${author.username}`,
    viewer.user,
    <>
      <div class="d-flex align-items-center gap-3 mb-4">
        <Avatar src={author.image_path} username={author.username} size={96} />
        <div>
          <h1 class="h2 mb-1 text-break">{author.username}</h1>
          <p class="text-body-secondary mb-0">
            {page.total === 1 ? '1 post' : `${page.total} posts`}
          </p>
        </div>
      </div>
      <PostList
        {...listProps(page, `/users/${author.id}/posts`, `/api/users/${author.id}/posts`, `${author.username} has not posted yet.`)}
      />
    </>,
  );
}

export function postPage(viewer: Viewer, post: PostResponseBody) {
  const isOwner = viewer.user?.id === post.user_id;
  return renderPage(
    post.title,
    viewer.user,
    <>
      <PostCard post={post} link={false} />
      {isOwner && (
        <>
          <div class="d-flex gap-2 mb-4" data-owner-actions>
            <button type="button" class="btn btn-outline-primary" data-bs-toggle="modal" data-bs-target="#edit-post-modal">
              Edit
            </button>
            <button type="button" class="btn btn-outline-danger" data-bs-toggle="modal" data-bs-target="#delete-post-modal">
              Delete
            </button>
          </div>
          <Modal id="edit-post-modal" title="Edit post">
            <form id="edit-post-form" data-post-id={String(post.id)}>
              <div class="modal-body">
                <FormError />
                <Field form="edit-post" name="title" label="Title" value={post.title} required maxLength={100} />
                <TextArea form="edit-post" name="content" label="Content" value={post.content} required rows={8} maxLength={100000} />
              </div>
              <div class="modal-footer">
                <button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">
                  Cancel
                </button>
                <button type="submit" class="btn btn-primary">
                  Save changes
                </button>
              </div>
            </form>
          </Modal>
          <Modal id="delete-post-modal" title="Delete this post?">
            <form id="delete-post-form" data-post-id={String(post.id)}>
              <div class="modal-body">
                <FormError />
                <p class="mb-0">
                  “<span class="text-break">{post.title}</span>” will be deleted for good.
                </p>
              </div>
              <div class="modal-footer">
                <button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">
                  Cancel
                </button>
                <button type="submit" class="btn btn-danger">
                  Delete post
                </button>
              </div>
            </form>
          </Modal>
        </>
      )}
      <p>
        <a href="/">← All posts</a>
      </p>
    </>,
  );
}

export interface FormState {
  values?: Record<string, string>;
  fields?: Record<string, string>;
  general?: string[];
}

export function loginPage(viewer: Viewer, next: string, state: FormState = {}) {
  return renderPage(
    'Log in',
    viewer.user,
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
              required
              maxLength={120}
              value={state.values?.email}
              error={state.fields?.email}
            />
            <Field
              form="login"
              name="password"
              label="Password"
              type="password"
              autocomplete="current-password"
              required
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

export function registerPage(viewer: Viewer, state: FormState = {}) {
  return renderPage(
    'Register',
    viewer.user,
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
              required
              maxLength={50}
              value={state.values?.username}
              error={state.fields?.username}
            />
            <Field
              form="register"
              name="email"
              label="Email"
              type="email"
              autocomplete="email"
              required
              maxLength={120}
              value={state.values?.email}
              error={state.fields?.email}
            />
            <Field
              form="register"
              name="password"
              label="Password"
              type="password"
              autocomplete="new-password"
              required
              minLength={8}
              maxLength={128}
              hint="8 to 128 characters."
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

export function accountPage(viewer: Viewer & { user: UserPrivateBody }, postCount: number) {
  const { user } = viewer;
  const postsText = postCount === 1 ? 'your post' : `your ${postCount} posts`;
  return renderPage(
    'Your account',
    user,
    <>
      <h1 class="h2 mb-4">Your account</h1>
      <section class="card mb-4" aria-labelledby="profile-heading">
        <div class="card-body">
          <h2 class="h5 card-title" id="profile-heading">
            Profile
          </h2>
          <form id="profile-form" data-user-id={String(user.id)}>
            <FormError />
            <div class="alert alert-success d-none" role="status" data-form-success>
              Profile saved.
            </div>
            <Field form="profile" name="username" label="Username" value={user.username} required maxLength={50} />
            <Field form="profile" name="email" label="Email" type="email" value={user.email} required maxLength={120} />
            <button type="submit" class="btn btn-primary">
              Save
            </button>
          </form>
        </div>
      </section>
      <section class="card mb-4" aria-labelledby="picture-heading">
        <div class="card-body">
          <h2 class="h5 card-title" id="picture-heading">
            Profile picture
          </h2>
          <div class="d-flex flex-wrap align-items-center gap-3 mb-3">
            <img
              src={user.image_path}
              alt="Your current profile picture"
              width={96}
              height={96}
              class="rounded-circle avatar"
              data-current-avatar
            />
            <img
              alt="Preview of the picture to upload"
              width={96}
              height={96}
              class="rounded-circle avatar d-none"
              data-picture-preview
            />
          </div>
          <form id="picture-form" data-user-id={String(user.id)}>
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
              <button
                type="button"
                class={`btn btn-outline-secondary${user.image_file ? '' : ' d-none'}`}
                data-remove-picture
              >
                Remove picture
              </button>
            </div>
          </form>
        </div>
      </section>
      <section class="card border-danger" aria-labelledby="danger-heading">
        <div class="card-body">
          <h2 class="h5 card-title text-danger" id="danger-heading">
            Delete account
          </h2>
          <p>Deleting your account removes {postsText}, your profile picture and your login. It cannot be undone.</p>
          <button type="button" class="btn btn-danger" data-bs-toggle="modal" data-bs-target="#delete-account-modal">
            Delete account
          </button>
        </div>
      </section>
      <Modal id="delete-account-modal" title="Delete your account?">
        <form id="delete-account-form" data-user-id={String(user.id)}>
          <div class="modal-body">
            <FormError />
            <p>
              This deletes the account <strong class="text-break">{user.username}</strong>, {postsText} and your profile
              picture. You will be logged out. This cannot be undone.
            </p>
          </div>
          <div class="modal-footer">
            <button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">
              Keep my account
            </button>
            <button type="submit" class="btn btn-danger">
              Delete everything
            </button>
          </div>
        </form>
      </Modal>
    </>,
  );
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Page not found',
  413: 'Too large',
  422: 'Invalid request',
  429: 'Too many requests',
  500: 'Something went wrong',
};

export function errorPage(viewer: Viewer, status: number, message: string) {
  const title = STATUS_TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request failed');
  return renderPage(
    title,
    viewer.user,
    <>
      <div class="py-4" data-error-status={String(status)}>
        <p class="display-4 text-body-secondary mb-0">{status}</p>
        <h1 class="h2">{title}</h1>
        <p class="lead text-break">{status >= 500 ? 'The server could not answer. Please try again in a moment.' : message}</p>
        <a href="/" class="btn btn-primary">
          Back to the home page
        </a>
      </div>
    </>,
  );
}

// The Users section of /admin: the search box, the table of accounts with
// their standing, and the confirmation modals of suspending, reinstating and
// deleting one. A row is also rendered once inside a <template>, which the
// browser code (client/admin.ts) fills for rows it loads or changes, so the
// markup of a row exists in one place only.
import type { AdminUserBody } from '../../../schemas/admin.js';
import { formatDate } from '../../../shared/format.js';
import { ModalForm } from '../modal.js';
import { AdminLoadMore, withQuery } from './more.js';

/** A page of an admin list, as the API sends it (`users`, `entries`, `invitations`). */
export type AdminListPage<K extends string, T> = Record<K, T[]> & {
  total: number;
  skip: number;
  limit: number;
  has_more: boolean;
};

export type AdminUsersPage = AdminListPage<'users', AdminUserBody>;

const EMPTY_USER: AdminUserBody = {
  id: 0,
  username: '',
  email: '',
  image_file: null,
  image_path: '',
  role: 'user',
  suspended: false,
  suspended_at: null,
  created_at: new Date(0).toISOString(),
  post_count: 0,
};

/**
 * A row's button that opens one of the confirmation modals; named with the
 * account for screen readers. Positioned, so that the hidden name stays
 * inside the table's scrolling box instead of widening a narrow page.
 */
function RowAction(props: { action: 'suspend' | 'unsuspend' | 'delete'; label: string; user: AdminUserBody }) {
  const { action, label, user } = props;
  const hidden = (action === 'suspend' && user.suspended) || (action === 'unsuspend' && !user.suspended);
  return (
    <button
      type="button"
      class={`btn btn-sm position-relative ${action === 'delete' ? 'btn-outline-danger' : 'btn-outline-secondary'}`}
      data-bs-toggle="modal"
      data-bs-target={`#${action}-user-modal`}
      data-user-action={action}
      hidden={hidden}
    >
      {label}
      <span class="visually-hidden" data-field="button-name">
        {` ${user.username}`}
      </span>
    </button>
  );
}

export function UserRow({ user }: { user: AdminUserBody }) {
  return (
    <tr data-user-id={String(user.id)} data-username={user.username} data-post-count={String(user.post_count)}>
      <th scope="row" class="fw-normal">
        <a href={`/users/${user.id}/posts`} class="fw-semibold" data-field="username">
          {user.username}
        </a>
        <span class="badge text-bg-danger ms-2" data-field="suspended" hidden={!user.suspended}>
          Suspended
        </span>
        <div class="small text-body-secondary" data-field="email">
          {user.email}
        </div>
      </th>
      <td data-field="role">{user.role}</td>
      <td class="text-end" data-field="post-count">
        {String(user.post_count)}
      </td>
      <td class="text-nowrap">
        <time dateTime={user.created_at} data-field="joined">
          {formatDate(user.created_at)}
        </time>
      </td>
      <td>
        <div class="d-flex flex-wrap gap-1">
          <RowAction action="suspend" label="Suspend" user={user} />
          <RowAction action="unsuspend" label="Unsuspend" user={user} />
          <RowAction action="delete" label="Delete" user={user} />
        </div>
      </td>
    </tr>
  );
}

/** The three confirmations; the browser code names the account in them as one opens. */
function UserModals() {
  const name = <strong class="text-break" data-field="username"></strong>;
  return (
    <>
      <ModalForm
        id="suspend-user-modal"
        title="Suspend this account?"
        form={{ id: 'suspend-user-form', 'data-user-action': 'suspend' }}
        footer={{ submit: 'Suspend', variant: 'danger' }}
      >
        <p class="mb-0">
          {name} is signed out everywhere at once and cannot log in, and their posts are hidden from readers, until you
          unsuspend the account.
        </p>
      </ModalForm>
      <ModalForm
        id="unsuspend-user-modal"
        title="Unsuspend this account?"
        form={{ id: 'unsuspend-user-form', 'data-user-action': 'unsuspend' }}
        footer={{ submit: 'Unsuspend', variant: 'primary' }}
      >
        <p class="mb-0">{name} can log in again, and their posts are shown to readers again.</p>
      </ModalForm>
      <ModalForm
        id="delete-user-modal"
        title="Delete this account?"
        form={{ id: 'delete-user-form', 'data-user-action': 'delete' }}
        footer={{ submit: 'Delete for good', variant: 'danger' }}
      >
        <p class="mb-0">
          This deletes the account {name}, <span data-field="posts"></span> and its profile picture, for good. It cannot
          be undone.
        </p>
      </ModalForm>
    </>
  );
}

const countText = (total: number, q: string) => {
  const accounts = total === 1 ? '1 account' : `${total} accounts`;
  return q ? `${accounts} match “${q}”.` : `${accounts}.`;
};

/** Users: the search (GET /admin?q=, no JavaScript needed), the first page of accounts, and "Load more". */
export function UsersSection({ page, q }: { page: AdminUsersPage; q: string }) {
  const nextSkip = page.skip + page.users.length;
  return (
    <section class="mb-5" aria-labelledby="admin-users-heading">
      <h2 class="h4" id="admin-users-heading">
        Users
      </h2>
      <form class="d-flex gap-2 mb-3" role="search" aria-label="Users" action="/admin" method="get">
        <label class="visually-hidden" for="admin-users-q">
          Search users by username or email
        </label>
        <input
          class="form-control"
          type="search"
          id="admin-users-q"
          name="q"
          value={q}
          placeholder="Username or email"
          maxLength={120}
        />
        <button class="btn btn-primary" type="submit">
          Search
        </button>
      </form>
      <p class="text-body-secondary" data-users-total>
        {countText(page.total, q)}
      </p>
      <div class="table-responsive">
        <table class="table align-middle">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Role</th>
              <th scope="col" class="text-end">
                Posts
              </th>
              <th scope="col">Joined</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody data-admin-list="users">
            {page.users.map((user) => (
              <UserRow user={user} />
            ))}
          </tbody>
        </table>
      </div>
      {page.has_more && (
        <AdminLoadMore
          list="users"
          href={withQuery('/admin', { q, skip: nextSkip })}
          api={withQuery('/api/admin/users', { q })}
          skip={nextSkip}
          limit={page.limit}
        />
      )}
      <template id="admin-user-template">
        <UserRow user={EMPTY_USER} />
      </template>
      <UserModals />
    </section>
  );
}

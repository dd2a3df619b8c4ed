// The admin page in the browser: suspending, reinstating and deleting
// accounts behind their confirmation modals (a refusal, such as the last
// admin's, is a toast), and "Load more" on its lists. Rows and entries are
// built from the server's own templates, text as text.
import type { AdminUserBody, AuditEntryBody } from '../src/schemas/admin.js';
import { formatDate } from '../src/shared/format.js';
import {
  auditActionText,
  auditDetailsText,
  auditTargetText,
  formatDateTime,
} from '../src/views/components/admin/wording.js';
import { api, ApiError } from './api.js';
import { enhanceForm } from './forms.js';
import { setUpLoadMore } from './load-more.js';
import { closeModalOf, field, fromTemplate } from './posts.js';
import { toast } from './toast.js';

type UserAction = 'suspend' | 'unsuspend' | 'delete';

const rowOf = (id: string | undefined) =>
  id === undefined ? null : document.querySelector<HTMLElement>(`[data-admin-list="users"] [data-user-id="${id}"]`);

/** Shows `user` in a row of the accounts table: a new one from the template, or one whose account changed. */
function showUser(row: HTMLElement, user: AdminUserBody): HTMLElement {
  row.dataset.userId = String(user.id);
  row.dataset.username = user.username;
  row.dataset.postCount = String(user.post_count);
  const link = field(row, 'username', HTMLAnchorElement);
  link.href = `/users/${user.id}/posts`;
  link.textContent = user.username;
  field(row, 'suspended', HTMLElement).hidden = !user.suspended;
  field(row, 'email', HTMLElement).textContent = user.email;
  field(row, 'role', HTMLElement).textContent = user.role;
  field(row, 'post-count', HTMLElement).textContent = String(user.post_count);
  const joined = field(row, 'joined', HTMLTimeElement);
  joined.dateTime = user.created_at;
  joined.textContent = formatDate(user.created_at);
  for (const name of row.querySelectorAll('[data-field="button-name"]')) name.textContent = ` ${user.username}`;
  for (const button of row.querySelectorAll<HTMLButtonElement>('button[data-user-action]')) {
    const action = button.dataset.userAction;
    button.hidden = (action === 'suspend' && user.suspended) || (action === 'unsuspend' && !user.suspended);
  }
  return row;
}

function renderEntry(entry: AuditEntryBody): HTMLElement {
  const item = fromTemplate('admin-audit-template');
  item.dataset.entryId = String(entry.id);
  item.dataset.action = entry.action;
  field(item, 'actor', HTMLElement).textContent = entry.actor.username;
  field(item, 'action', HTMLElement).textContent = auditActionText(entry.action);
  field(item, 'target', HTMLElement).textContent = auditTargetText(entry.target);
  const when = field(item, 'when', HTMLTimeElement);
  when.dateTime = entry.created_at;
  when.textContent = formatDateTime(entry.created_at);
  const details = auditDetailsText(entry.details);
  field(item, 'details', HTMLElement).hidden = !details;
  field(item, 'details-text', HTMLElement).textContent = details;
  return item;
}

const postsText = (count: number) =>
  count === 1 ? 'its post' : count === 0 ? 'its posts (none)' : `its ${count} posts`;

const DONE: Record<UserAction, (username: string) => string> = {
  suspend: (username) => `${username} is suspended.`,
  unsuspend: (username) => `${username} is unsuspended.`,
  delete: (username) => `The account ${username} is deleted.`,
};

async function act(action: UserAction, userId: string, username: string) {
  const row = rowOf(userId);
  if (action === 'delete') {
    await api('DELETE', `/api/users/${userId}`);
    // An admin who deleted their own account is signed out with it.
    if (userId === document.body.dataset.userId) {
      location.assign('/');
      return;
    }
    row?.remove();
  } else {
    const user = await api<AdminUserBody>('POST', `/api/admin/users/${userId}/${action}`);
    if (row) showUser(row, user);
  }
  toast(DONE[action](username), 'success');
}

/** A confirmation modal: named for the row whose button opened it, then sent. */
function setUpUserModal(form: HTMLFormElement) {
  const action = form.dataset.userAction as UserAction;
  const modal = form.closest('.modal');
  modal?.addEventListener('show.bs.modal', (event) => {
    const opener = (event as Event & { relatedTarget?: unknown }).relatedTarget;
    const row = opener instanceof HTMLElement ? opener.closest<HTMLElement>('[data-user-id]') : null;
    if (!row) return;
    form.dataset.userId = row.dataset.userId;
    form.dataset.username = row.dataset.username;
    field(form, 'username', HTMLElement).textContent = row.dataset.username ?? '';
    form.querySelector('[data-field="posts"]')?.replaceChildren(postsText(Number(row.dataset.postCount)));
  });
  enhanceForm(form, async () => {
    const { userId = '', username = '' } = form.dataset;
    try {
      await act(action, userId, username);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      toast(error.message, 'danger');
    }
    closeModalOf(form);
  });
}

/** Without JavaScript, "Load more" is a link to /admin with this list's own skip. */
const SKIP_PARAMETERS: Record<string, string> = { users: 'skip', audit: 'audit_skip' };

function setUpMore(button: HTMLAnchorElement) {
  const name = button.dataset.adminMore ?? '';
  const list = document.querySelector<HTMLElement>(`[data-admin-list="${name}"]`);
  if (!list) return;
  const apiUrl = (skip: number) => {
    const url = new URL(button.dataset.api ?? '', location.origin);
    url.searchParams.set('skip', String(skip));
    url.searchParams.set('limit', button.dataset.limit ?? '');
    return `${url.pathname}${url.search}`;
  };
  const pageUrl = (skip: number) => {
    const url = new URL(location.href);
    url.searchParams.set(SKIP_PARAMETERS[name] ?? 'skip', String(skip));
    return `${url.pathname}${url.search}`;
  };
  if (name === 'users') {
    setUpLoadMore<AdminUserBody>(button, {
      list,
      apiUrl,
      pageUrl,
      render: (user) => showUser(fromTemplate('admin-user-template'), user),
      failure: 'Could not load more accounts.',
      items: { key: 'users', idAttribute: 'data-user-id' },
    });
  } else if (name === 'audit') {
    setUpLoadMore<AuditEntryBody>(button, {
      list,
      apiUrl,
      pageUrl,
      render: renderEntry,
      failure: 'Could not load more of the audit log.',
      items: { key: 'entries', idAttribute: 'data-entry-id' },
    });
  }
}

export function setUpAdmin(): void {
  document.querySelectorAll<HTMLFormElement>('form[data-user-action]').forEach(setUpUserModal);
  document.querySelectorAll<HTMLAnchorElement>('[data-admin-more]').forEach(setUpMore);
}

// The admin page in the browser: suspending, reinstating and deleting
// accounts behind their confirmation modals (a refusal, such as the last
// admin's, is a toast), inviting and revoking, and "Load more" on its lists.
// Rows and entries are built from the server's own templates, text as text.
import type { AdminUserBody, AuditEntryBody } from '../src/schemas/admin.js';
import type { InvitationBody } from '../src/schemas/invitations.js';
import { formatDate } from '../src/shared/format.js';
import {
  auditActionText,
  auditDetailsText,
  auditTargetText,
  formatDateTime,
} from '../src/views/components/admin/wording.js';
import { answer, api, ApiError } from './api.js';
import { enhanceForm, formValues } from './forms.js';
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

function showInvitation(invitation: InvitationBody): HTMLElement {
  const item = fromTemplate('admin-invitation-template');
  item.dataset.invitationId = String(invitation.id);
  item.dataset.email = invitation.email;
  field(item, 'email', HTMLElement).textContent = invitation.email;
  field(item, 'invited-by', HTMLElement).textContent = invitation.invited_by ?? 'a deleted account';
  for (const [name, iso] of [
    ['created', invitation.created_at],
    ['expires', invitation.expires_at],
  ] as const) {
    const time = field(item, name, HTMLTimeElement);
    time.dateTime = iso;
    time.textContent = formatDate(iso);
  }
  field(item, 'button-name', HTMLElement).textContent = ` the invitation of ${invitation.email}`;
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
    await answer(api.DELETE('/api/users/{user_id}', { params: { path: { user_id: Number(userId) } } }));
    // An admin who deleted their own account is signed out with it.
    if (userId === document.body.dataset.userId) {
      location.assign('/');
      return;
    }
    row?.remove();
  } else {
    const path = action === 'suspend' ? '/api/admin/users/{user_id}/suspend' : '/api/admin/users/{user_id}/unsuspend';
    const user = await answer(api.POST(path, { params: { path: { user_id: Number(userId) } } }));
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

/** An invitation appears on top of the pending ones, in place of an earlier one to its address (which it revokes). */
function setUpInvite(form: HTMLFormElement) {
  const list = document.querySelector<HTMLElement>('[data-admin-list="invitations"]');
  const empty = document.querySelector<HTMLElement>('[data-empty-invitations]');
  enhanceForm(form, async () => {
    const invitation = await answer(api.POST('/api/admin/invitations', { body: formValues(form) }));
    for (const earlier of list?.querySelectorAll<HTMLElement>('[data-invitation-id]') ?? []) {
      if (earlier.dataset.email === invitation.email) earlier.remove();
    }
    list?.prepend(showInvitation(invitation));
    if (empty) empty.hidden = true;
    form.reset();
    toast(`${invitation.email} is invited.`, 'success');
  });
  list?.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-revoke-invitation]') : null;
    const item = button?.closest<HTMLElement>('[data-invitation-id]');
    if (button instanceof HTMLButtonElement && item) void revoke(button, item);
  });
  const revoke = async (button: HTMLButtonElement, item: HTMLElement) => {
    button.disabled = true;
    try {
      const invitation_id = Number(item.dataset.invitationId);
      await answer(api.DELETE('/api/admin/invitations/{invitation_id}', { params: { path: { invitation_id } } }));
      item.remove();
      if (empty && !list?.querySelector('[data-invitation-id]')) empty.hidden = false;
      toast(`The invitation of ${item.dataset.email} is revoked.`, 'success');
    } catch (error) {
      button.disabled = false;
      toast(error instanceof ApiError ? error.message : 'Could not revoke the invitation.', 'danger');
    }
  };
}

/** Without JavaScript, "Load more" is a link to /admin with this list's own skip. */
const SKIP_PARAMETERS: Record<string, string> = {
  users: 'skip',
  invitations: 'invitations_skip',
  audit: 'audit_skip',
};

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
  } else if (name === 'invitations') {
    setUpLoadMore<InvitationBody>(button, {
      list,
      apiUrl,
      pageUrl,
      render: showInvitation,
      failure: 'Could not load more invitations.',
      items: { key: 'invitations', idAttribute: 'data-invitation-id' },
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
  const invite = document.querySelector<HTMLFormElement>('#invite-form');
  if (invite) setUpInvite(invite);
}

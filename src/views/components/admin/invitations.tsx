// The Invitations section of /admin: the form that invites an address, and
// the pending invitations, each with Revoke. A row is also rendered once
// inside a <template>, which the browser code fills for invitations it adds
// or loads.
import type { RegistrationMode } from '../../../config/index.js';
import { InvitationCreate, type InvitationBody } from '../../../schemas/invitations.js';
import { formatDate } from '../../../shared/format.js';
import { FormError, formFields } from '../forms.js';
import { AdminLoadMore, withQuery } from './more.js';
import type { AdminListPage } from './users.js';

export type InvitationsPage = AdminListPage<'invitations', InvitationBody>;

const EMPTY_INVITATION: InvitationBody = {
  id: 0,
  email: '',
  created_at: new Date(0).toISOString(),
  expires_at: new Date(0).toISOString(),
  invited_by: null,
};

export function InvitationItem({ invitation }: { invitation: InvitationBody }) {
  return (
    <li
      class="list-group-item d-flex flex-wrap align-items-center gap-2"
      data-invitation-id={String(invitation.id)}
      data-email={invitation.email}
    >
      <div class="flex-grow-1 min-width-0">
        <div class="text-break fw-semibold" data-field="email">
          {invitation.email}
        </div>
        <div class="small text-body-secondary">
          Invited by <span data-field="invited-by">{invitation.invited_by ?? 'a deleted account'}</span> on{' '}
          <time dateTime={invitation.created_at} data-field="created">
            {formatDate(invitation.created_at)}
          </time>
          , expires{' '}
          <time dateTime={invitation.expires_at} data-field="expires">
            {formatDate(invitation.expires_at)}
          </time>
        </div>
      </div>
      <button type="button" class="btn btn-sm btn-outline-danger" data-revoke-invitation>
        Revoke
        <span class="visually-hidden" data-field="button-name">
          {` the invitation of ${invitation.email}`}
        </span>
      </button>
    </li>
  );
}

/** How people may register (REGISTRATION), and so what an invitation is for. */
const MODE_TEXT: Record<RegistrationMode, string> = {
  open: 'Registration is open to anyone; an invitation is a link to it.',
  invite: 'Registration is by invitation only: an invited address registers with its link.',
  closed: 'Registration is closed: invitation links do not work while it is.',
};

export function InvitationsSection(props: { page: InvitationsPage; q: string; registration: RegistrationMode }) {
  const { page, q } = props;
  const nextSkip = page.skip + page.invitations.length;
  const field = formFields('invite', InvitationCreate);
  return (
    <section class="mb-5" aria-labelledby="admin-invitations-heading">
      <h2 class="h4" id="admin-invitations-heading">
        Invitations
      </h2>
      <p class="text-body-secondary" data-registration={props.registration}>
        {MODE_TEXT[props.registration]}
      </p>
      <form id="invite-form" class="mb-3">
        <FormError />
        {field('email', {
          label: 'Invite by email',
          type: 'email',
          autocomplete: 'off',
          hint: 'The address gets a link to register with; it works once.',
        })}
        <button type="submit" class="btn btn-primary">
          Invite
        </button>
      </form>
      <h3 class="h6">Pending</h3>
      <ul class="list-group mb-2" data-admin-list="invitations">
        {page.invitations.map((invitation) => (
          <InvitationItem invitation={invitation} />
        ))}
      </ul>
      <p class="text-body-secondary" data-empty-invitations hidden={page.invitations.length > 0}>
        No pending invitations.
      </p>
      {page.has_more && (
        <AdminLoadMore
          list="invitations"
          href={withQuery('/admin', { q, invitations_skip: nextSkip })}
          api="/api/admin/invitations"
          skip={nextSkip}
          limit={page.limit}
        />
      )}
      <template id="admin-invitation-template">
        <InvitationItem invitation={EMPTY_INVITATION} />
      </template>
    </section>
  );
}

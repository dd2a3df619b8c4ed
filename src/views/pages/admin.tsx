import type { UserPrivateBody } from '../../schemas/users.js';
import type { RegistrationMode } from '../../config/index.js';
import {
  AuditSection,
  InvitationsSection,
  UsersSection,
  type AdminUsersPage,
  type AuditPageBody,
  type InvitationsPage,
} from '../components/admin/index.js';
import { renderPage } from '../layout.js';

export interface AdminPageData {
  /** The users' search, as typed. */
  q: string;
  users: AdminUsersPage;
  invitations: InvitationsPage;
  registration: RegistrationMode;
  audit: AuditPageBody;
}

/** /admin, for admins only: the accounts, the pending invitations and the audit log. */
export function adminPage(currentUser: UserPrivateBody, data: AdminPageData) {
  return renderPage(
    'Admin',
    currentUser,
    <>
      <h1 class="h2 mb-4">Admin</h1>
      <UsersSection page={data.users} q={data.q} />
      <InvitationsSection page={data.invitations} q={data.q} registration={data.registration} />
      <AuditSection page={data.audit} q={data.q} />
    </>,
    { noindex: true },
  );
}

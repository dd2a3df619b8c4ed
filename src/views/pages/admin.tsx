import type { UserPrivateBody } from '../../schemas/users.js';
import { AuditSection, UsersSection, type AdminUsersPage, type AuditPageBody } from '../components/admin/index.js';
import { renderPage } from '../layout.js';

export interface AdminPageData {
  /** The users' search, as typed. */
  q: string;
  users: AdminUsersPage;
  audit: AuditPageBody;
}

/** /admin, for admins only: the accounts and the audit log. */
export function adminPage(currentUser: UserPrivateBody, data: AdminPageData) {
  return renderPage(
    'Admin',
    currentUser,
    <>
      <h1 class="h2 mb-4">Admin</h1>
      <UsersSection page={data.users} q={data.q} />
      <AuditSection page={data.audit} q={data.q} />
    </>,
    { noindex: true },
  );
}

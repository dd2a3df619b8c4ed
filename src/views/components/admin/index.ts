// The sections of /admin.
export { AuditSection, type AuditPageBody } from './audit.js';
export { InvitationsSection, type InvitationsPage } from './invitations.js';
export { UsersSection, type AdminUsersPage } from './users.js';

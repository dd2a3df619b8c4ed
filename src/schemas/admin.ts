// What admins read and send (/api/admin): accounts with their standing, and
// the audit log.
import { Type, type Static } from 'typebox';
import { PageQuery } from './common.js';
import { Role } from './users.js';

/** A page of `item`s under `name`, in the contract's shape. */
export const pageOf = <T extends ReturnType<typeof Type.Object>>(name: string, item: T) =>
  Type.Object({
    [name]: Type.Array(item),
    total: Type.Integer(),
    skip: Type.Integer(),
    limit: Type.Integer(),
    has_more: Type.Boolean(),
  });

export const AdminUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Type.String(),
  image_file: Type.Union([Type.String(), Type.Null()]),
  image_path: Type.String(),
  role: Role,
  suspended: Type.Boolean(),
  suspended_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  post_count: Type.Integer({ description: 'Drafts included' }),
});

export const AdminUserPage = pageOf('users', AdminUser);

export const AdminUsersQuery = (defaultLimit: number) =>
  Type.Object({
    ...PageQuery(defaultLimit).properties,
    q: Type.Optional(Type.String({ maxLength: 120, description: 'Part of a username or email, any case' })),
  });

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  actor: Type.Object({
    id: Type.Union([Type.Integer(), Type.Null()], { description: 'Null for the command line' }),
    username: Type.String({ description: 'As it was at the time' }),
  }),
  action: Type.String({
    description:
      'e.g. user.suspend, user.unsuspend, user.delete, post.update, post.delete, role.grant, role.revoke, user.two-factor-off',
  }),
  target: Type.Object({
    type: Type.String({ description: 'user, post or invitation' }),
    id: Type.Union([Type.Integer(), Type.Null()]),
    label: Type.String({ description: 'Its name at the time: a username, a post title, an address' }),
  }),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'What changed' }),
  created_at: Type.String({ format: 'date-time' }),
});

export const AuditPage = pageOf('entries', AuditEntry);

export type AdminUserBody = Static<typeof AdminUser>;
export type AuditEntryBody = Static<typeof AuditEntry>;

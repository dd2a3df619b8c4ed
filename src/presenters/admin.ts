// Accounts and audit entries as admins see them.
import type { AuditRecord } from '../repositories/audit-log.js';
import type { User } from '../repositories/users.js';
import type { AdminUserBody, AuditEntryBody } from '../schemas/admin.js';
import { toUserPrivate } from './users.js';

const isoOrNull = (epochMs: number | string | null) =>
  epochMs === null ? null : new Date(Number(epochMs)).toISOString();

export function toAdminUser(user: User & { created_at: string; post_count: number }): AdminUserBody {
  return {
    ...toUserPrivate(user),
    suspended: user.suspended_at !== null,
    suspended_at: isoOrNull(user.suspended_at),
    created_at: user.created_at,
    post_count: user.post_count,
  };
}

export function toAuditEntry(record: AuditRecord): AuditEntryBody {
  return {
    id: record.id,
    actor: { id: record.actor_id, username: record.actor_name },
    action: record.action,
    target: { type: record.target_type, id: record.target_id, label: record.target_label },
    details: record.details,
    created_at: new Date(record.created_at).toISOString(),
  };
}

/** A page in the contract's shape: the items under `name`, the total, and whether more follow. */
export const pageBody = <K extends string, T>(name: K, items: T[], total: number, skip: number, limit: number) =>
  ({ [name]: items, total, skip, limit, has_more: skip + items.length < total }) as Record<K, T[]> & {
    total: number;
    skip: number;
    limit: number;
    has_more: boolean;
  };

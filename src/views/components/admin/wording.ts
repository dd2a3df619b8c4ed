// How the admin page words an audit entry and its dates. Shared by the
// server-rendered page and the browser bundle (client/admin.ts), so an entry
// loaded with "Load more" reads exactly like one rendered by the server.
// Plain strings only: both sides put them into the page as text.
import type { AuditEntryBody } from '../../../schemas/admin.js';

const ACTIONS: Record<string, string> = {
  'user.suspend': 'suspended',
  'user.unsuspend': 'unsuspended',
  'user.delete': 'deleted the account of',
  'post.update': 'edited the post',
  'post.delete': 'deleted the post',
  'role.grant': 'granted admin to',
  'role.revoke': 'revoked admin from',
  'user.two-factor-off': 'turned off two-factor sign-in of',
  'invitation.create': 'invited',
  'invitation.revoke': 'revoked the invitation of',
};

/** What was done, as words ("suspended", "deleted the post"); an action without words of its own as it is. */
export const auditActionText = (action: string): string => ACTIONS[action] ?? action;

/** Whom or what it was done to: a post's title in quotes, a username or an address as it is. */
export const auditTargetText = (target: AuditEntryBody['target']): string =>
  target.type === 'post' ? `“${target.label}”` : target.label;

const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** A moment, to the minute (in UTC, like every date on the site). */
export const formatDateTime = (iso: string): string => `${dateTimeFormat.format(new Date(iso))} UTC`;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const isChange = (value: unknown): value is { from: unknown; to: unknown } =>
  typeof value === 'object' && value !== null && 'from' in value && 'to' in value;

function valueText(value: unknown): string {
  if (isChange(value)) return `${valueText(value.from)} → ${valueText(value.to)}`;
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'string') return ISO_DATE_TIME.test(value) ? formatDateTime(value) : value;
  // Details come from JSON, so every value has a JSON text.
  return JSON.stringify(value);
}

/** What changed, one "name: value" per detail ("title: Old → New; changed: title, content"). */
export const auditDetailsText = (details: Record<string, unknown>): string =>
  Object.entries(details)
    .map(([name, value]) => `${name.replace(/_/g, ' ')}: ${valueText(value)}`)
    .join('; ');

// The Audit log section of /admin: every admin action, newest first, worded
// for people (wording.ts), with "Load more". An entry is also rendered once
// inside a <template>, which the browser code fills for entries it loads.
import type { AuditEntryBody } from '../../../schemas/admin.js';
import { AdminLoadMore, withQuery } from './more.js';
import type { AdminListPage } from './users.js';
import { auditActionText, auditDetailsText, auditTargetText, formatDateTime } from './wording.js';

export type AuditPageBody = AdminListPage<'entries', AuditEntryBody>;

const EMPTY_ENTRY: AuditEntryBody = {
  id: 0,
  actor: { id: null, username: '' },
  action: '',
  target: { type: 'user', id: null, label: '' },
  details: {},
  created_at: new Date(0).toISOString(),
};

export function AuditItem({ entry }: { entry: AuditEntryBody }) {
  const details = auditDetailsText(entry.details);
  return (
    <li class="list-group-item" data-entry-id={String(entry.id)} data-action={entry.action}>
      <div class="text-break">
        <strong data-field="actor">{entry.actor.username}</strong>{' '}
        <span data-field="action">{auditActionText(entry.action)}</span>{' '}
        <span data-field="target">{auditTargetText(entry.target)}</span>
      </div>
      <div class="small text-body-secondary text-break">
        <time dateTime={entry.created_at} data-field="when">
          {formatDateTime(entry.created_at)}
        </time>
        <span data-field="details" hidden={!details}>
          <span aria-hidden="true"> · </span>
          <span data-field="details-text">{details}</span>
        </span>
      </div>
    </li>
  );
}

/** The audit log's first page and "Load more" (its own `audit_skip` without JavaScript). */
export function AuditSection({ page, q }: { page: AuditPageBody; q: string }) {
  const nextSkip = page.skip + page.entries.length;
  return (
    <section class="mb-5" aria-labelledby="admin-audit-heading">
      <h2 class="h4" id="admin-audit-heading">
        Audit log
      </h2>
      <p class="text-body-secondary">Every admin action, newest first. It cannot be changed.</p>
      <ol class="list-group mb-3" data-admin-list="audit">
        {page.entries.map((entry) => (
          <AuditItem entry={entry} />
        ))}
      </ol>
      {page.entries.length === 0 && <p class="text-body-secondary">Nothing yet.</p>}
      {page.has_more && (
        <AdminLoadMore
          list="audit"
          href={withQuery('/admin', { q, audit_skip: nextSkip })}
          api="/api/admin/audit"
          skip={nextSkip}
          limit={page.limit}
        />
      )}
      <template id="admin-audit-template">
        <AuditItem entry={EMPTY_ENTRY} />
      </template>
    </section>
  );
}

// Invitations as admins see them.
import type { InvitationRecord } from '../repositories/invitations.js';
import type { InvitationBody } from '../schemas/invitations.js';

export const toInvitation = (record: InvitationRecord): InvitationBody => ({
  id: record.id,
  email: record.email,
  created_at: new Date(record.created_at).toISOString(),
  expires_at: new Date(record.expires_at).toISOString(),
  invited_by: record.invited_by,
});

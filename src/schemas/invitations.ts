// Invitations to register (REGISTRATION=invite), as admins send and read them.
import { Type, type Static } from 'typebox';
import { pageOf } from './admin.js';
import { Id } from './common.js';
import { Email } from './users.js';

export const Invitation = Type.Object({
  id: Type.Integer(),
  email: Type.String({ description: 'Lower-cased' }),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time', description: 'INVITATION_EXPIRE_DAYS after created_at' }),
  invited_by: Type.Union([Type.String(), Type.Null()], {
    description: "The inviting admin's username; null once that account is gone",
  }),
});

export const InvitationCreate = Type.Object({ email: Email });
export const InvitationPage = pageOf('invitations', Invitation);
export const InvitationIdParams = Type.Object({ invitation_id: Id('Invitation id') });

export type InvitationBody = Static<typeof Invitation>;

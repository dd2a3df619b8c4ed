import type { MailAddress } from '../config/index.js';

/** A mail ready to go: one recipient, a subject, and the same words as plain text and as HTML. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** What a transport is handed: the mail and its sender. */
export interface Envelope extends OutgoingMail {
  from: MailAddress;
}

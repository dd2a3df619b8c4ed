// Where mail goes: an SMTP server (SMTP_URL), or, with zero configuration,
// one .eml file per mail in DATA_DIR/mail/ that any mail program opens.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type { Envelope } from './message.js';

export interface MailTransport {
  /** Hands the mail over; resolves once the server (or the file) has it. */
  deliver(mail: Envelope): Promise<void>;
  close(): void;
}

/** The directory of the file transport. */
export const mailDirectory = (dataDir: string) => path.join(dataDir, 'mail');

/**
 * SMTP with a time limit on each step, so a server that stops answering
 * fails the attempt (to be retried) instead of holding the sender.
 * STARTTLS is used whenever the server offers it; smtps:// is TLS from the start.
 */
export function createSmtpTransport(smtpUrl: string, timeoutMs: number): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async deliver(mail) {
      await transporter.sendMail(mail);
    },
    close: () => {
      transporter.close();
    },
  };
}

/** Writes each mail, exactly as it would be sent, to a file only its owner can read (it may hold a reset link). */
export function createFileTransport(directory: string, log: FastifyBaseLogger): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async deliver(mail) {
      const { message } = await composer.sendMail(mail);
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const file = path.join(
        directory,
        // Time, then a monotonic count: names sort in the order the mails were written.
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(process.hrtime.bigint()).padStart(20, '0')}-${randomUUID().slice(0, 8)}.eml`,
      );
      await writeFile(file, message as Buffer, { mode: 0o600, flag: 'wx' });
      log.info({ file }, 'mail written to a file (no SMTP_URL is set)');
    },
    close: () => undefined,
  };
}

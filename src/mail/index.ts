// Mail: a durable outbox (src/repositories/mail-outbox.ts) emptied by a
// background sender over SMTP, or into .eml files when no SMTP_URL is set.
import type { FastifyBaseLogger } from 'fastify';
import type { MailSettings } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import type { MailOutboxRepository } from '../repositories/mail-outbox.js';
import { createMailSender, type ComposeMail } from './sender.js';
import { createFileTransport, createSmtpTransport, mailDirectory } from './transport.js';

export type { OutgoingMail } from './message.js';
export type { ComposeMail, MailSender } from './sender.js';
export { mailDirectory } from './transport.js';

export function createMailer(deps: {
  settings: MailSettings;
  dataDir: string;
  outbox: MailOutboxRepository;
  compose: ComposeMail;
  log: FastifyBaseLogger;
  metrics: Pick<Metrics, 'mailSendFailed'>;
  now?: () => number;
}) {
  const { settings, log } = deps;
  let transport;
  if (settings.smtpUrl) {
    const { protocol, hostname, port } = new URL(settings.smtpUrl);
    log.info({ smtp: `${protocol}//${hostname}${port ? `:${port}` : ''}` }, 'mail goes to an SMTP server');
    transport = createSmtpTransport(settings.smtpUrl, settings.sendTimeoutMs);
  } else {
    const directory = mailDirectory(deps.dataDir);
    log.info({ directory }, 'no SMTP_URL: each mail is written to this directory as an .eml file');
    transport = createFileTransport(directory, log);
  }
  const sender = createMailSender({ ...deps, transport });
  return {
    ...sender,
    async stop() {
      await sender.stop();
      transport.close();
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;

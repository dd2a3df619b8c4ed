// The site as the world sees it (its public origin and name) and its mail.
import { ConfigError, readInteger, readUrl, type Env } from './read.js';

export interface MailAddress {
  name: string;
  address: string;
}

export interface MailSettings {
  /** An smtp:// or smtps:// URL (it may hold a password: never logged). Unset: mails are written to DATA_DIR/mail/. */
  smtpUrl?: string;
  from: MailAddress;
  /** Attempts before a mail is given up (kept with its last error). */
  maxAttempts: number;
  /** The wait after the first failure; each further failure doubles it. */
  retryBaseMs: number;
  /** How often the sender looks for mail queued by another instance. */
  pollMs: number;
  /** The longest one delivery may take; a claim on a mail lapses after twice this. */
  sendTimeoutMs: number;
}

/** The public origin (scheme, host, port; no path), every absolute link is built from it. */
export function readPublicUrl(env: Env, host: string, port: number): string {
  const url = readUrl(env, 'PUBLIC_URL', ['http:', 'https:'], 'https://blog.example.com');
  if (!url) return new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`).origin;
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(
      'PUBLIC_URL must be an origin only, such as https://blog.example.com (no path, query or user)',
    );
  }
  return url.origin;
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export function readSiteName(env: Env): string {
  const name = (env.SITE_NAME ?? '').trim() || 'Blog';
  if (name.length > 100 || CONTROL_CHARACTER.test(name)) {
    throw new ConfigError('SITE_NAME must be at most 100 characters, without control characters');
  }
  return name;
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;
const NAMED_ADDRESS = /^\s*"?([^"<>]*?)"?\s*<([^\s@<>"]+@[^\s@<>"]+)>\s*$/;

/** `MAIL_FROM`: `Name <address>` or a bare address; by default the site's name at no-reply@ the public host. */
function readMailFrom(env: Env, siteName: string, publicUrl: string): MailAddress {
  const raw = env.MAIL_FROM?.trim();
  if (!raw) return { name: siteName, address: `no-reply@${new URL(publicUrl).hostname.replace(/^\[|\]$/g, '')}` };
  if (ADDRESS.test(raw)) return { name: siteName, address: raw };
  // Control characters (a line break) have no place in the From header of every mail.
  const named = CONTROL_CHARACTER.test(raw) ? null : NAMED_ADDRESS.exec(raw);
  if (!named?.[2])
    throw new ConfigError('MAIL_FROM must be an address or "Name <address>" (e.g. Blog <no-reply@example.com>)');
  return { name: named[1]?.trim() || siteName, address: named[2] };
}

export function readMail(env: Env, siteName: string, publicUrl: string): MailSettings {
  // Only the scheme is named on error: the URL may hold a password.
  const example = 'smtp://user:password@mail.example.com:587';
  const smtp = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'], example);
  // Without a host nodemailer would quietly try localhost.
  if (smtp && !smtp.hostname) throw new ConfigError(`SMTP_URL must name the mail server's host, as in ${example}`);
  return {
    smtpUrl: smtp?.href,
    from: readMailFrom(env, siteName, publicUrl),
    maxAttempts: readInteger(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 100),
    retryBaseMs: readInteger(env, 'MAIL_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    pollMs: readInteger(env, 'MAIL_POLL_MS', 5_000, 10, 3_600_000),
    sendTimeoutMs: readInteger(env, 'MAIL_SEND_TIMEOUT_MS', 60_000, 100, 600_000),
  };
}

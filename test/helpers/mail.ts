// Mail as a recipient reads it: the .eml files of the file transport (no
// SMTP_URL), parsed by mailparser, and the reset link a mail carries. The
// SMTP side (a real server that receives mail) is in smtp.ts.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { App } from '../../src/app.js';
import { mailDirectory } from '../../src/mail/index.js';

/** A delivered mail, parsed: who it is from and to, its subject, and both parts. */
export interface ReadMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

function addresses(field: ParsedMail['to']): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((group) => group.value.map((entry) => entry.address ?? ''));
}

export async function parseMail(raw: string | Buffer): Promise<ReadMail> {
  const parsed = await simpleParser(raw);
  return {
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    parsed,
  };
}

/** Waits until the app's sender has nothing left to do now (mail queued by a request is sent or retried later). */
export async function mailSettled(app: App): Promise<void> {
  await app.mailer.idle();
}

/** Every mail the file transport wrote into the app's DATA_DIR/mail/, oldest first. */
export async function mailFiles(dataDir: string): Promise<ReadMail[]> {
  const directory = mailDirectory(dataDir);
  const names = await readdir(directory).catch(() => [] as string[]);
  const files = names.filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(files.map(async (name) => parseMail(await readFile(path.join(directory, name)))));
}

/** The mails written to `dataDir` for `address`, after the sender has settled. */
export async function inbox(app: App, dataDir: string, address: string): Promise<ReadMail[]> {
  await mailSettled(app);
  const all = await mailFiles(dataDir);
  return all.filter((mail) => mail.to.includes(address.toLowerCase()));
}

/** The reset link of a mail (from its text part), and its token. */
export function resetLinkOf(mail: ReadMail): { url: URL; token: string } {
  const match = /https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.text);
  if (!match) throw new Error(`no reset link in the mail "${mail.subject}":\n${mail.text}`);
  const url = new URL(match[0]);
  return { url, token: url.searchParams.get('token') ?? '' };
}

/** Asks for a reset of `email` through the API and returns the token mailed for it. */
export async function requestResetToken(app: App, dataDir: string, email: string): Promise<string> {
  const before = (await inbox(app, dataDir, email)).length;
  const response = await app.inject({ method: 'POST', url: '/api/users/password-reset', payload: { email } });
  if (response.statusCode !== 202) throw new Error(`reset request failed: ${response.statusCode} ${response.body}`);
  const mails = await inbox(app, dataDir, email);
  const mail = mails[before];
  if (!mail) throw new Error(`no reset mail arrived for ${email}`);
  return resetLinkOf(mail).token;
}

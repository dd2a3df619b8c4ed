// Every mail of the site: the words once, rendered as plain text and as
// HTML. The HTML is rendered by Preact, which escapes every value as the
// pages do. No mail ever carries a password.
import { renderToString } from 'preact-render-to-string';
import { formatDate } from '../shared/format.js';
import type { OutgoingMail } from './message.js';

export interface Site {
  name: string;
  /** The public origin: links are built from it alone. */
  url: string;
}

interface MailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** A button in HTML, a bare link in text. */
  action?: { label: string; url: string };
  /** After the action. */
  closing?: string[];
}

function html(site: Site, content: MailContent): string {
  const { action } = content;
  const body = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{content.subject}</title>
      </head>
      <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #212529">
        <p style="font-size: 1.25rem; font-weight: bold">
          <a href={site.url} style="color: #212529; text-decoration: none">
            {site.name}
          </a>
        </p>
        <p>{content.greeting}</p>
        {content.paragraphs.map((paragraph) => (
          <p>{paragraph}</p>
        ))}
        {action && (
          <>
            <p>
              <a
                href={action.url}
                style="display: inline-block; padding: 0.5rem 1rem; background: #0d6efd; color: #fff; border-radius: 0.375rem; text-decoration: none"
              >
                {action.label}
              </a>
            </p>
            <p style="font-size: 0.875rem; color: #6c757d">
              Or open this link: <a href={action.url}>{action.url}</a>
            </p>
          </>
        )}
        {content.closing?.map((paragraph) => (
          <p>{paragraph}</p>
        ))}
        <p style="font-size: 0.875rem; color: #6c757d">
          {site.name} · <a href={site.url}>{site.url}</a>
        </p>
      </body>
    </html>
  );
  return `<!doctype html>${renderToString(body)}`;
}

function text(site: Site, content: MailContent): string {
  const blocks = [
    content.greeting,
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...(content.closing ?? []),
    `-- \n${site.name}\n${site.url}`,
  ];
  return `${blocks.join('\n\n')}\n`;
}

function render(site: Site, to: string, content: MailContent): OutgoingMail {
  return { to, subject: content.subject, text: text(site, content), html: html(site, content) };
}

const ignoreIfNotYou = 'If you did not ask for this, you can ignore this mail: your password stays as it is.';
const contactIfNotYou = (site: Site) =>
  `If this was not you, reset your password now at ${site.url}/forgot-password and tell the site's owner.`;

export function passwordResetMail(
  site: Site,
  to: string,
  props: { username: string; link: string; expiresMinutes: number },
) {
  return render(site, to, {
    subject: `Reset your password on ${site.name}`,
    greeting: `Hello ${props.username},`,
    paragraphs: [
      `Someone asked to reset the password of your account on ${site.name}.`,
      `The link below lets you choose a new one. It works once, for ${props.expiresMinutes} minutes, and only the newest link you asked for works.`,
    ],
    action: { label: 'Choose a new password', url: props.link },
    closing: [ignoreIfNotYou],
  });
}

export function passwordChangedMail(site: Site, to: string, props: { username: string }) {
  return render(site, to, {
    subject: `Your password on ${site.name} was changed`,
    greeting: `Hello ${props.username},`,
    paragraphs: [
      `The password of your account on ${site.name} was just changed, and every earlier sign-in was ended.`,
      contactIfNotYou(site),
    ],
  });
}

export function emailChangedMail(site: Site, to: string, props: { username: string }) {
  return render(site, to, {
    subject: `The email address of your account on ${site.name} was changed`,
    greeting: `Hello ${props.username},`,
    paragraphs: [
      `The email address of your account on ${site.name} was just changed: this address no longer receives its mail.`,
      `If this was not you, tell the site's owner at once.`,
    ],
  });
}

export function twoFactorChangedMail(site: Site, to: string, props: { username: string; enabled: boolean }) {
  const state = props.enabled ? 'turned on' : 'turned off';
  return render(site, to, {
    subject: `Two-factor sign-in was ${state} on ${site.name}`,
    greeting: `Hello ${props.username},`,
    paragraphs: [
      props.enabled
        ? `Two-factor sign-in was just turned on for your account on ${site.name}: signing in now takes a code from your authenticator app, or one of your recovery codes.`
        : `Two-factor sign-in was just turned off for your account on ${site.name}: signing in now takes only your password.`,
      contactIfNotYou(site),
    ],
  });
}

export function invitationMail(site: Site, to: string, props: { invitedBy: string; link: string; expiresAt: number }) {
  return render(site, to, {
    subject: `You are invited to ${site.name}`,
    greeting: 'Hello,',
    paragraphs: [
      `${props.invitedBy} invited you to create an account on ${site.name}.`,
      `The link below opens the registration form for this address. It works once, until ${formatDate(new Date(props.expiresAt).toISOString())} (UTC), and only the newest invitation sent to this address works.`,
    ],
    action: { label: 'Create your account', url: props.link },
    closing: ['If you do not want an account, you can ignore this mail.'],
  });
}

// Every mail of the site (src/mail/templates.tsx). docs/api.md, "Mail": every
// mail has a plain-text and an HTML part, names the site, and never carries a
// password; "Account recovery": the reset mail links to
// <PUBLIC_URL>/reset-password?token=<token>.
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../src/mail/index.js';
import { emailChangedMail, passwordChangedMail, passwordResetMail, type Site } from '../../src/mail/templates.js';
import { decode, startTags } from '../helpers/index.js';

const site: Site = { name: 'Pebble Notes', url: 'https://blog.example.com' };
/** A site and a user whose names are markup: the HTML part must show them, not run them. */
const hostileSite: Site = { name: `<i>Ann</i> & "Bob's" Blog`, url: 'https://blog.example.com' };
const hostileName = '<script>alert(1)</script>&amp;';
const resetLink = 'https://blog.example.com/reset-password?token=AbC-_123abcdefghijklmnopqrstuvwxyz0123456789';

const templates: Record<string, (site: Site, username: string) => OutgoingMail> = {
  'password reset': (onSite, username) =>
    passwordResetMail(onSite, 'ann@example.com', { username, link: resetLink, expiresMinutes: 30 }),
  'password changed': (onSite, username) => passwordChangedMail(onSite, 'ann@example.com', { username }),
  'email changed': (onSite, username) => emailChangedMail(onSite, 'ann@example.com', { username }),
};

const urlsIn = (text: string) => [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map(([url]) => url);
const hrefsIn = (html: string) =>
  startTags(html)
    .filter((tag) => tag.name === 'a')
    .map((tag) => tag.attrs.get('href'));

describe.each(Object.entries(templates))('the %s mail', (_kind, make) => {
  it('has a subject, a text part and an HTML part that name the site', () => {
    const mail = make(site, 'ann');
    expect(mail.to).toBe('ann@example.com');
    expect(mail.subject).toContain(site.name);
    expect(mail.text).toContain(site.name);
    expect(mail.text).toContain('Hello ann,');
    expect(mail.html).toMatch(/^<!doctype html><html lang="en">/);
    expect(mail.html).toContain(site.name);
    expect(mail.html).toContain('Hello ann,');
    expect(mail.html).toContain(`<title>${mail.subject}</title>`);
  });

  it('carries its links in both parts, the site itself among them', () => {
    const mail = make(site, 'ann');
    const links = urlsIn(mail.text);
    expect(links).toContain(site.url);
    const html = decode(mail.html);
    for (const link of links) expect(html).toContain(link);
    expect(hrefsIn(mail.html)).toContain(site.url);
    for (const href of hrefsIn(mail.html)) expect(links).toContain(href);
  });

  it('escapes every value in the HTML part, and keeps it as written in the text part', () => {
    const mail = make(hostileSite, hostileName);
    expect(mail.subject).toContain(hostileSite.name);
    expect(mail.text).toContain(hostileSite.name);
    expect(mail.text).toContain(hostileName);
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<i>');
    expect(mail.html).toContain('&lt;script>alert(1)&lt;/script>&amp;amp;');
    expect(mail.html).toContain('&lt;i>Ann&lt;/i> &amp; &quot;Bob');
    expect(decode(mail.html)).toContain(hostileName);
    expect(startTags(mail.html).map((tag) => tag.name)).not.toContain('script');
  });
});

describe('the password reset mail', () => {
  it('links to the reset page with the token, in the text and as the button, and says how long it works', () => {
    const mail = passwordResetMail(site, 'ann@example.com', { username: 'ann', link: resetLink, expiresMinutes: 45 });
    expect(mail.text).toContain(`Choose a new password:\n${resetLink}\n`);
    expect(hrefsIn(mail.html).filter((href) => href === resetLink)).toHaveLength(2); // the button and the bare link
    expect(mail.text).toContain('45 minutes');
    expect(mail.html).toContain('45 minutes');
  });
});

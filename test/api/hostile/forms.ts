// Web form posts (login, register, logout) with hostile fields, raw bodies,
// Accept and Sec-Fetch-Site headers and cookies.
import fc from 'fast-check';
import type { Headers } from '../../helpers/index.js';
import type { Sent } from './exchange.js';
import { HTML_PAYLOADS } from './material.js';
import { hostileString, PROTO_KEYS } from './values.js';
import { world } from './world.js';

const formValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HTML_PAYLOADS) },
  { weight: 3, arbitrary: hostileString.filter((text) => text.length < 30_000) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/account',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '/%2F%2Fevil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
    ),
  },
);

const RAW_FORMS = [
  '%',
  'email=%ZZ',
  'email=%E0%A4%A&password=%FF',
  '&&&==&',
  'email',
  `email=${'x'.repeat(20_000)}`,
  '=',
  'email=%00&password=%00',
];

export interface FormPlan {
  pairs: [string, string][];
  raw: string | null;
  accept: string | null;
  site: string | null;
  cookie: 'none' | 'attacker' | 'garbage';
  validRegistration: boolean;
}

export function formPlan(keys: string[]): fc.Arbitrary<FormPlan> {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString) },
  );
  return fc.record({
    pairs: fc.array(fc.tuple(key, formValue), { maxLength: 7 }),
    raw: fc.option(fc.constantFrom(...RAW_FORMS), { freq: 6 }),
    accept: fc.option(fc.constantFrom('application/json', 'text/html', '*/*', 'application/json, text/html'), {
      freq: 2,
    }),
    site: fc.oneof(
      { weight: 6, arbitrary: fc.constant('same-origin') },
      { weight: 1, arbitrary: fc.constantFrom<string | null>('cross-site', 'none', 'same-site', null) },
    ),
    cookie: fc.constantFrom('none', 'none', 'attacker', 'garbage'),
    validRegistration: fc.boolean(),
  });
}

export function formRequest(url: string, plan: FormPlan, pairs: [string, string][]): Sent {
  const headers: Headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (plan.accept) headers.accept = plan.accept;
  if (plan.site) headers['sec-fetch-site'] = plan.site;
  if (plan.cookie === 'attacker') headers.cookie = `session=${world().attacker.token}`;
  if (plan.cookie === 'garbage') headers.cookie = 'session=garbage';
  return { method: 'POST', url, headers, payload: plan.raw ?? new URLSearchParams(pairs).toString() };
}

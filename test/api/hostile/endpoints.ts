// Every endpoint of the contract (docs/api.md), the hostile requests drawn for
// each, and how a drawn plan becomes a request with the live ids and tokens.
import fc from 'fast-check';
import { defined } from '../../helpers/index.js';
import { formBodyPlan, jsonBodyPlan, serialise, type BodyPlan } from './bodies.js';
import { actsAsAttacker, credential, credentialHeaders, type Credential } from './credentials.js';
import type { Method, Sent } from './exchange.js';
import { malformedMultipart, resolveMultipart, wellFormedMultipart, type MultipartPlan } from './multipart.js';
import { hostileQuery, hostileSegment, idInSegment, segmentText, type Segment } from './segments.js';
import { hostileString, validContent, validEmail, validPassword, validTitle, validUsername } from './values.js';
import { world, type Ref } from './world.js';

export type BodyKind = 'none' | 'json' | 'form' | 'multipart';

export interface Endpoint {
  method: Method;
  /** `{id}` is replaced by a drawn path segment. */
  path: string;
  segment?: 'user' | 'post';
  query?: boolean;
  body: BodyKind;
  fields?: Record<string, fc.Arbitrary<unknown>>;
  /** Hostile logout requests must never revoke the attacker's own token. */
  credentials?: 'sacrificial';
}

const post = { title: validTitle, content: validContent };

/** A token of the shape a reset link carries (32 random bytes, base64url) that was never issued. */
const resetToken = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'));

export const ENDPOINTS: Endpoint[] = [
  {
    method: 'POST',
    path: '/api/users',
    body: 'json',
    fields: { username: validUsername, email: validEmail, password: validPassword },
  },
  { method: 'POST', path: '/api/users/token', body: 'form', fields: { username: validEmail, password: validPassword } },
  { method: 'GET', path: '/api/users/me', body: 'none' },
  { method: 'GET', path: '/api/users/{id}', segment: 'user', body: 'none' },
  {
    method: 'PATCH',
    path: '/api/users/{id}',
    segment: 'user',
    body: 'json',
    fields: { username: validUsername, email: validEmail },
  },
  { method: 'DELETE', path: '/api/users/{id}', segment: 'user', body: 'none' },
  { method: 'GET', path: '/api/users/{id}/posts', segment: 'user', query: true, body: 'none' },
  { method: 'PATCH', path: '/api/users/{id}/picture', segment: 'user', body: 'multipart' },
  { method: 'DELETE', path: '/api/users/{id}/picture', segment: 'user', body: 'none' },
  { method: 'POST', path: '/api/users/logout', body: 'none', credentials: 'sacrificial' },
  {
    method: 'POST',
    path: '/api/users/me/password',
    body: 'json',
    fields: { current_password: validPassword, new_password: validPassword },
  },
  { method: 'POST', path: '/api/users/password-reset', body: 'json', fields: { email: validEmail } },
  {
    method: 'POST',
    path: '/api/users/password-reset/confirm',
    body: 'json',
    fields: { token: resetToken, new_password: validPassword },
  },
  { method: 'GET', path: '/api/posts', query: true, body: 'none' },
  { method: 'POST', path: '/api/posts', body: 'json', fields: post },
  { method: 'GET', path: '/api/posts/{id}', segment: 'post', body: 'none' },
  { method: 'PUT', path: '/api/posts/{id}', segment: 'post', body: 'json', fields: post },
  { method: 'PATCH', path: '/api/posts/{id}', segment: 'post', body: 'json', fields: post },
  { method: 'DELETE', path: '/api/posts/{id}', segment: 'post', body: 'none' },
];

/** The picture upload, the one endpoint with a multipart body. */
export const PICTURE_UPLOAD = defined(ENDPOINTS.find((endpoint) => endpoint.body === 'multipart'));

/** How many requests a property sends to an endpoint, by its kind of body. */
export const RUNS: Record<BodyKind, number> = { none: 60, json: 100, form: 50, multipart: 80 };

export interface RequestPlan {
  segment: Segment;
  query: string;
  credential: Credential;
  body: BodyPlan | MultipartPlan | null;
}

/** A drawn ref of the kind the endpoint's path takes: users for user paths, posts for post paths. */
function segmentFor(endpoint: Endpoint): fc.Arbitrary<Segment> {
  const toUser = (ref: Ref) => ref.replace('Post', '') as Ref;
  const toPost = (ref: Ref) => (ref.endsWith('Post') ? ref : (`${ref}Post` as Ref));
  switch (endpoint.segment) {
    case 'user':
      return hostileSegment.map((segment) => ('ref' in segment ? { ref: toUser(segment.ref) } : segment));
    case 'post':
      return hostileSegment.map((segment) => ('ref' in segment ? { ref: toPost(segment.ref) } : segment));
    case undefined:
      return fc.constant<Segment>({ raw: '' });
  }
}

function bodyFor(
  endpoint: Endpoint,
  multipart: fc.Arbitrary<MultipartPlan>,
): fc.Arbitrary<BodyPlan | MultipartPlan | null> {
  switch (endpoint.body) {
    case 'json':
      return jsonBodyPlan(endpoint.fields ?? {});
    case 'form':
      return formBodyPlan(Object.keys(endpoint.fields ?? {}));
    case 'multipart':
      return multipart;
    case 'none':
      return fc.option(jsonBodyPlan({ title: hostileString }), { freq: 4 }); // a body where none belongs
  }
}

export function requestPlan(
  endpoint: Endpoint,
  multipart: fc.Arbitrary<MultipartPlan> = wellFormedMultipart,
): fc.Arbitrary<RequestPlan> {
  return fc.record({
    segment: segmentFor(endpoint),
    query: endpoint.query ? hostileQuery : fc.constant(''),
    credential,
    body: bodyFor(endpoint, multipart),
  });
}

/** The credential a plan may use: the attacker keeps its own account and post. */
function credentialFor(endpoint: Endpoint, plan: RequestPlan): Credential {
  // Every run meets the same world; deleting them is legitimate and not what these properties are about.
  const { attacker, attackerPostId } = world();
  const ownId = idInSegment(plan.segment);
  if (endpoint.method !== 'DELETE' || !actsAsAttacker(plan.credential)) return plan.credential;
  if (endpoint.path === '/api/users/{id}' && ownId === attacker.id) return { kind: 'none' };
  if (endpoint.path === '/api/posts/{id}' && ownId === attackerPostId) return { kind: 'none' };
  return plan.credential;
}

/** The request a plan stands for, with the live ids, tokens and bodies. */
export function resolve(endpoint: Endpoint, plan: RequestPlan): Sent {
  const credential = credentialFor(endpoint, plan);
  let headers = credentialHeaders(credential);
  if (endpoint.credentials === 'sacrificial' && actsAsAttacker(credential)) {
    const { sacrificial } = world();
    headers =
      credential.kind === 'attacker'
        ? sacrificial.headers
        : { cookie: `session=${sacrificial.token}`, 'sec-fetch-site': 'same-origin' };
  }
  const url = endpoint.path.replace('{id}', segmentText(plan.segment)) + plan.query;
  if (plan.body && 'mangle' in plan.body) {
    const { contentType, payload } = resolveMultipart(plan.body, world().realPng);
    return { method: endpoint.method, url, headers: { ...headers, 'content-type': contentType }, payload };
  }
  const { payload, contentType } = serialise(plan.body);
  return {
    method: endpoint.method,
    url,
    headers: contentType === undefined ? headers : { ...headers, 'content-type': contentType },
    ...(payload === undefined ? {} : { payload }),
  };
}

export interface Attack {
  endpoint: Endpoint;
  plan: RequestPlan;
}

/** Requests aimed at the victim's account, post and picture, or that try to write as the victim. */
export const attack: fc.Arbitrary<Attack> = fc.oneof(
  ...ENDPOINTS.filter((endpoint) => endpoint.method !== 'GET' && endpoint.credentials !== 'sacrificial').map(
    (endpoint) =>
      requestPlan(endpoint, fc.oneof(wellFormedMultipart, malformedMultipart)).map((plan) => ({
        endpoint,
        plan: {
          ...plan,
          // Aimed at the victim: its id or its post's id, however spelled.
          segment:
            endpoint.segment === 'user'
              ? { ref: 'victim' as const }
              : endpoint.segment === 'post'
                ? { ref: 'victimPost' as const }
                : plan.segment,
        },
      })),
  ),
);

/** The same id written in ways a lenient parser could accept. */
export const victimIdSpellings = (id: number) => [
  String(id),
  `0${id}`,
  `${id}.0`,
  `+${id}`,
  `${id}%20`,
  `%20${id}`,
  `${id}e0`,
  `0x${id.toString(16)}`,
  `${id}%00`,
  `${id}/`,
  `${id}%2F`,
  `${id}?skip=0`,
];

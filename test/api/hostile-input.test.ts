// Hostile input: property-based tests (fast-check) throw random and malicious
// values at every endpoint of the HTTP contract (docs/api.md): very long
// strings, unicode edge cases, NUL, numbers out of range, wrong types, deeply
// nested objects, prototype keys, SQL and HTML payloads, hostile path
// segments, query values, credentials, multipart bodies and web forms. They
// assert that
//   1. the server never answers 5xx, and an /api error keeps the contract's
//      shape ({detail: string} or {detail: [{loc, msg, type}]});
//   2. an attacker never changes data it does not own (the victim's API view
//      and database rows are compared after every attempt and at the end);
//   3. text that is accepted is stored and comes back byte-for-byte;
//   4. the web form posts never 5xx and never echo markup from the input.
// The generators, endpoints and invariants are in ./hostile/.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT } from '../../src/app.js';
import type { PostResponseBody } from '../../src/schemas/posts.js';
import { createPost, defined, useTestApp } from '../helpers/index.js';
import { serialise } from './hostile/bodies.js';
import { credential } from './hostile/credentials.js';
import {
  attack,
  ENDPOINTS,
  PICTURE_UPLOAD,
  requestPlan,
  resolve,
  RUNS,
  victimIdSpellings,
} from './hostile/endpoints.js';
import {
  describeExchange,
  jsonRequest,
  postRow,
  PROPERTY_TIMEOUT,
  readPost,
  runs,
  send,
  sendOrNull,
  writeText,
  type Answer,
  type Sent,
} from './hostile/exchange.js';
import { formPlan, formRequest } from './hostile/forms.js';
import { expectApiContract, expectPageContract, expectSameText } from './hostile/invariants.js';
import { codePoints, hasLoneSurrogate, repeatToCodePoints, takeCodePoints, utf8 } from './hostile/material.js';
import { cutShortMultipart, malformedMultipart } from './hostile/multipart.js';
import { malformedSegment } from './hostile/segments.js';
import {
  hostileString,
  hostileValue,
  loneSurrogateString,
  textUnit,
  validContent,
  validText,
  validTitle,
  validUsername,
} from './hostile/values.js';
import { buildWorld, expectVictimUnchanged, VICTIM_ID, world } from './hostile/world.js';

// Rate limiting off for the main app, so hostile values reach the real
// validation and database code instead of a 429; one property below runs
// against a rate-limited app as well.
const context = useTestApp({ RATE_LIMIT_ENABLED: 'false' });

beforeAll(async () => {
  await buildWorld(await context());
}, 60_000);

// ---------------------------------------------------------------------------
// 1. Every endpoint: never a 5xx, errors in the contract's shape
// ---------------------------------------------------------------------------

describe('every API endpoint under hostile input: never a 5xx, errors in the contract shape', () => {
  for (const endpoint of ENDPOINTS) {
    it(
      `${endpoint.method} ${endpoint.path}`,
      async () => {
        await fc.assert(
          fc.asyncProperty(requestPlan(endpoint), async (plan) => {
            const request = resolve(endpoint, plan);
            expectApiContract(request, await send(request));
          }),
          runs(RUNS[endpoint.body]),
        );
      },
      PROPERTY_TIMEOUT,
    );
  }

  // Two requirements on the same input class, so that one broken one does not hide the other.
  it(
    'PATCH /api/users/{id}/picture with broken multipart framing: every request is answered',
    async () => {
      await fc.assert(
        fc.asyncProperty(requestPlan(PICTURE_UPLOAD, fc.oneof(cutShortMultipart, malformedMultipart)), async (plan) => {
          const request = resolve(PICTURE_UPLOAD, plan);
          const response = await send(request); // throws NoAnswerError after ANSWER_WITHIN
          expect(response.statusCode).toBeGreaterThanOrEqual(200);
        }),
        runs(40, 20_000),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'PATCH /api/users/{id}/picture with broken multipart framing: never a 5xx, errors in the contract shape',
    async () => {
      await fc.assert(
        fc.asyncProperty(requestPlan(PICTURE_UPLOAD, fc.oneof(cutShortMultipart, malformedMultipart)), async (plan) => {
          const request = resolve(PICTURE_UPLOAD, plan);
          const response = await sendOrNull(request); // the property above is about answering at all
          if (response) expectApiContract(request, response);
        }),
        runs(60),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'malformed percent-encodings and over-long path segments, on every endpoint with a path id',
    async () => {
      const templated = ENDPOINTS.filter((endpoint) => endpoint.segment);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...templated), malformedSegment, credential, async (endpoint, raw, who) => {
          const request = resolve(endpoint, { segment: { raw }, query: '', credential: who, body: null });
          expectApiContract(request, await send(request));
        }),
        runs(60),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'a successful registration stores the username exactly as sent',
    async () => {
      const { app } = world();
      await fc.assert(
        fc.asyncProperty(validUsername, async (username) => {
          const email = `${randomUUID()}@example.com`;
          const request = jsonRequest('POST', '/api/users', {}, { username, email, password: 'correct horse battery' });
          const response = await send(request);
          expectApiContract(request, response);
          if (response.statusCode === 400) {
            expect(JSON.parse(response.body), describeExchange(request, response)).toEqual({
              detail: 'Username already exists',
            });
            return;
          }
          expect(response.statusCode, describeExchange(request, response)).toBe(201);
          const created = JSON.parse(response.body) as { id: number; username: string; email: string };
          expect(utf8(created.username).equals(utf8(username))).toBe(true);
          const read = await send({ method: 'GET', url: `/api/users/${created.id}`, headers: {} });
          expect(utf8((JSON.parse(read.body) as { username: string }).username).equals(utf8(username))).toBe(true);
          const row = await app.db
            .selectFrom('users')
            .select(['username', 'email'])
            .where('id', '=', created.id)
            .executeTakeFirstOrThrow();
          expect(utf8(row.username).equals(utf8(username))).toBe(true);
          expect(row.email).toBe(email);
        }),
        runs(25),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------
// 2. The attacker never changes the victim's data
// ---------------------------------------------------------------------------

describe('the attacker never changes data it does not own', () => {
  it(
    "attacks on the victim's account, post and picture are refused and change nothing",
    async () => {
      const { victim, victimPostId } = world();
      await fc.assert(
        fc.asyncProperty(attack, fc.nat({ max: 11 }), async ({ endpoint, plan }, spelling) => {
          const request = resolve(endpoint, plan);
          if (endpoint.segment) {
            const target = endpoint.segment === 'user' ? victim.id : victimPostId;
            request.url = request.url.replace(`/${target}`, `/${defined(victimIdSpellings(target)[spelling])}`);
          }
          // A request left unanswered (a hang, reported by the properties above) changed nothing either: checked below.
          const response = await sendOrNull(request);
          const where = response
            ? describeExchange(request, response)
            : `${request.method} ${request.url} -> no answer`;
          const aimedAtVictim = endpoint.segment !== undefined;
          // Writing to the victim's resources never succeeds...
          if (aimedAtVictim && response)
            expect(response.statusCode >= 200 && response.statusCode < 300, where).toBe(false);
          // ...and nothing the victim owns changed, whatever the request was.
          await expectVictimUnchanged(where);
        }),
        runs(150),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a post created with the victim's user_id (or any other) belongs to its author",
    async () => {
      const { app, attacker, victimPostId } = world();
      await fc.assert(
        fc.asyncProperty(validTitle, fc.oneof(hostileValue, fc.constant<unknown>(VICTIM_ID)), async (title, userId) => {
          const body = { title, content: 'c', user_id: userId, author: { id: VICTIM_ID }, id: victimPostId };
          const request: Sent = {
            method: 'POST',
            url: '/api/posts',
            headers: { ...attacker.headers, 'content-type': 'application/json' },
            payload: serialise({ json: body, contentType: 'application/json' }).payload,
          };
          const response = await send(request);
          const where = describeExchange(request, response);
          if (Buffer.byteLength(String(request.payload)) > JSON_BODY_LIMIT) {
            // A hostile value can make the body larger than any post: refused before it is read.
            expect(response.statusCode, where).toBe(413);
            await expectVictimUnchanged(where);
            return;
          }
          if (/"(__proto__|constructor)"/.test(String(request.payload))) {
            // Fastify refuses prototype poisoning outright; refused is fine, owned by someone else is not.
            expect([201, 422], where).toContain(response.statusCode);
            if (response.statusCode === 422) {
              expectApiContract(request, response);
              await expectVictimUnchanged(where);
              return;
            }
          }
          expect(response.statusCode, where).toBe(201);
          const post = JSON.parse(response.body) as { id: number; user_id: number; author: { id: number } };
          expect(post.user_id, where).toBe(attacker.id);
          expect(post.author.id, where).toBe(attacker.id);
          expect(post.id, where).not.toBe(victimPostId);
          const row = await app.db
            .selectFrom('posts')
            .select('user_id')
            .where('id', '=', post.id)
            .executeTakeFirstOrThrow();
          expect(row.user_id, where).toBe(attacker.id);
          await expectVictimUnchanged(where);
        }),
        runs(40),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------
// 3. Stored text comes back byte-for-byte
// ---------------------------------------------------------------------------

describe('stored text comes back byte-for-byte', () => {
  it(
    'POST /api/posts then GET /api/posts/{id}: any title (1..100 code points) and content (1..100,000)',
    async () => {
      const { author } = world();
      await fc.assert(
        fc.asyncProperty(validTitle, validContent, async (title, content) => {
          const request = jsonRequest('POST', '/api/posts', author.headers, { title, content });
          const created = await send(request);
          expect(created.statusCode, describeExchange(request, created)).toBe(201);
          const body = JSON.parse(created.body) as PostResponseBody;
          expectSameText(body.title, title, 'created title');
          expectSameText(body.content, content, 'created content');
          const read = await readPost(body.id);
          expectSameText(read.title, title, 'read title');
          expectSameText(read.content, content, 'read content');
          const row = await postRow(body.id);
          expectSameText(row.title, title, 'stored title');
          expectSameText(row.content, content, 'stored content');
          // Keep the database small: the author deletes its post.
          const deleted = await send({ method: 'DELETE', url: `/api/posts/${body.id}`, headers: author.headers });
          expect(deleted.statusCode).toBe(204);
        }),
        runs(120),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'PUT and PATCH /api/posts/{id}: the new text comes back exactly, the untouched field stays',
    async () => {
      const { app, author } = world();
      const post = await createPost(app, author.headers, 'start', 'start');
      let current = { title: 'start', content: 'start' };
      const put = fc
        .record({ title: validTitle, content: validContent })
        .map((body) => ({ method: 'PUT' as const, body }));
      const patch = fc
        .record({ title: validTitle, content: validContent }, { requiredKeys: [] })
        .map((body) => ({ method: 'PATCH' as const, body }));
      await fc.assert(
        fc.asyncProperty(fc.oneof(put, patch), async ({ method, body }) => {
          const request = jsonRequest(method, `/api/posts/${post.id}`, author.headers, body);
          const response = await send(request);
          expect(response.statusCode, describeExchange(request, response)).toBe(200);
          current = { ...current, ...body };
          const answered = JSON.parse(response.body) as PostResponseBody;
          expectSameText(answered.title, current.title, `${method} answer title`);
          expectSameText(answered.content, current.content, `${method} answer content`);
          const read = await readPost(post.id);
          expectSameText(read.title, current.title, `${method} read title`);
          expectSameText(read.content, current.content, `${method} read content`);
          const row = await postRow(post.id);
          expectSameText(row.title, current.title, `${method} stored title`);
          expectSameText(row.content, current.content, `${method} stored content`);
        }),
        runs(100),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'PATCH /api/users/{me}: any username (1..50 code points) comes back exactly',
    async () => {
      const { app, author } = world();
      const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const clashes = (one: string, other: string) =>
        one.toLowerCase() === other.toLowerCase() || asciiLower(one) === asciiLower(other);
      const usernameOf = (answer: Answer) => (JSON.parse(answer.body) as { username: string }).username;
      await fc.assert(
        fc.asyncProperty(validUsername, async (username) => {
          const request = writeText('username', username);
          const response = await send(request);
          const where = describeExchange(request, response);
          if (response.statusCode === 400) {
            // Only a genuine case-insensitive clash with another user may refuse it.
            expect(JSON.parse(response.body), where).toEqual({ detail: 'Username already exists' });
            const others = await app.db
              .selectFrom('users')
              .select(['id', 'username'])
              .where('id', '!=', author.id)
              .execute();
            expect(
              others.some((other) => clashes(other.username, username)),
              where,
            ).toBe(true);
            return;
          }
          expect(response.statusCode, where).toBe(200);
          expectSameText(usernameOf(response), username, 'answered username');
          const read = await send({ method: 'GET', url: `/api/users/${author.id}`, headers: {} });
          expectSameText(usernameOf(read), username, 'read username');
          const me = await send({ method: 'GET', url: '/api/users/me', headers: author.headers });
          expectSameText(usernameOf(me), username, 'me username');
          const row = await app.db
            .selectFrom('users')
            .select('username')
            .where('id', '=', author.id)
            .executeTakeFirstOrThrow();
          expectSameText(row.username, username, 'stored username');
        }),
        runs(100),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'NUL anywhere in a title, content or username is refused with 422 and stores nothing',
    async () => {
      const { app, author } = world();
      const withNul = (text: fc.Arbitrary<string>) =>
        fc.tuple(text, fc.nat(), fc.integer({ min: 1, max: 3 })).map(([base, at, count]) => {
          const points = codePoints(base);
          const index = at % (points.length + 1);
          return [...points.slice(0, index), '\u0000'.repeat(count), ...points.slice(index)].join('');
        });
      const post = await createPost(app, author.headers, 'nul target', 'nul target');
      /** Where the text goes: the request, and the location its 422 names. */
      const targets = {
        'create-title': (text: string) => [
          jsonRequest('POST', '/api/posts', author.headers, { title: text, content: 'ok' }),
          'title',
        ],
        'create-content': (text: string) => [
          jsonRequest('POST', '/api/posts', author.headers, { title: 'ok', content: text }),
          'content',
        ],
        'patch-title': (text: string) => [
          jsonRequest('PATCH', `/api/posts/${post.id}`, author.headers, { title: text }),
          'title',
        ],
        'patch-content': (text: string) => [
          jsonRequest('PATCH', `/api/posts/${post.id}`, author.headers, { content: text }),
          'content',
        ],
        username: (text: string) => [
          jsonRequest('PATCH', `/api/users/${author.id}`, author.headers, { username: text }),
          'username',
        ],
      } satisfies Record<string, (text: string) => [Sent, string]>;
      const authorsPosts = () =>
        app.db.selectFrom('posts').selectAll().where('user_id', '=', author.id).orderBy('id').execute();
      const authorRow = () =>
        app.db.selectFrom('users').selectAll().where('id', '=', author.id).executeTakeFirstOrThrow();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...(Object.keys(targets) as (keyof typeof targets)[])),
          withNul(validText(40)),
          async (where, text) => {
            const postsBefore = await authorsPosts();
            const userBefore = await authorRow();
            const [request, field] = targets[where](text);
            const response = await send(request);
            const exchange = describeExchange(request, response);
            expect(response.statusCode, exchange).toBe(422);
            expectApiContract(request, response);
            const { detail } = JSON.parse(response.body) as { detail: { loc: string[]; type: string }[] };
            expect(
              detail.map((item) => item.loc),
              exchange,
            ).toContainEqual(['body', field]);
            expect(await authorsPosts(), exchange).toEqual(postsBefore);
            expect(await authorRow(), exchange).toEqual(userBefore);
          },
        ),
        runs(60),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'over-long text (counted in code points) is refused with 422; exactly the limit is accepted',
    async () => {
      const { author } = world();
      const LIMITS = { title: 100, content: 100_000, username: 50 };
      await fc.assert(
        fc.asyncProperty(
          textUnit,
          fc.constantFrom('title', 'content', 'username'),
          fc.integer({ min: 1, max: 50 }),
          async (unit, field, over) => {
            const limit = LIMITS[field];
            const atLimit = repeatToCodePoints(unit, limit);
            const pastLimit = repeatToCodePoints(unit, limit + over);
            const refusedRequest = writeText(field, pastLimit);
            const refused = await send(refusedRequest);
            expect(refused.statusCode, describeExchange(refusedRequest, refused)).toBe(422);
            expectApiContract(refusedRequest, refused);
            const acceptedRequest = writeText(field, atLimit);
            const accepted = await send(acceptedRequest);
            const where = describeExchange(acceptedRequest, accepted);
            if (field === 'username') {
              if (accepted.statusCode === 400) return; // a clash with another user's name (same repeated unit)
              expect(accepted.statusCode, where).toBe(200);
              const { username } = JSON.parse(accepted.body) as { username: string };
              expectSameText(username, atLimit, 'username at the limit');
            } else {
              expect(accepted.statusCode, where).toBe(201);
              const body = JSON.parse(accepted.body) as PostResponseBody;
              expectSameText(field === 'title' ? body.title : body.content, atLimit, `${field} at the limit`);
              await send({ method: 'DELETE', url: `/api/posts/${body.id}`, headers: author.headers });
            }
          },
        ),
        runs(40),
      );
    },
    PROPERTY_TIMEOUT,
  );

  // JSON.stringify escapes a lone surrogate ("\ud800"), JSON.parse restores it:
  // the server receives it intact. It is not Unicode text, so the server may
  // refuse it (4xx); what it must not do is store something else.
  it(
    'text with lone surrogates is either stored exactly or refused with a 4xx, never altered',
    async () => {
      const { app, author } = world();
      const withLoneSurrogate = fc
        .tuple(validText(30), loneSurrogateString, fc.nat())
        .map(([base, bad, at]) => {
          const points = codePoints(base);
          const index = at % (points.length + 1);
          return takeCodePoints([...points.slice(0, index), bad, ...points.slice(index)].join(''), 50);
        })
        .filter(hasLoneSurrogate);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('title', 'content', 'username'), withLoneSurrogate, async (field, text) => {
          const request = writeText(field, text);
          const response = await send(request);
          const where = describeExchange(request, response);
          expectApiContract(request, response);
          if (response.statusCode >= 400) return; // refused cleanly
          const answered = JSON.parse(response.body) as Record<string, unknown>;
          const stored =
            field === 'username'
              ? (
                  await app.db
                    .selectFrom('users')
                    .select('username')
                    .where('id', '=', author.id)
                    .executeTakeFirstOrThrow()
                ).username
              : (await postRow(answered.id as number))[field];
          expect({ sent: text, answered: answered[field], stored }, where).toEqual({
            sent: text,
            answered: text,
            stored: text,
          });
        }),
        runs(40),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'a JSON body that is not valid UTF-8 is refused, never stored with its bytes replaced',
    async () => {
      const { author } = world();
      const invalidSequence = fc.constantFrom(
        [0xff],
        [0xfe],
        [0x80],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xe2, 0x82],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xc3],
      );
      const safePrefix = fc.string({ unit: fc.constantFrom(...'abc XYZ é😀<>'.split('')), maxLength: 10 });
      await fc.assert(
        fc.asyncProperty(
          safePrefix,
          invalidSequence,
          safePrefix,
          fc.constantFrom('title', 'content'),
          async (before, bad, after, field) => {
            const titleBytes = Buffer.concat([utf8(before), Buffer.from(bad), utf8(after)]);
            const other = field === 'title' ? 'content' : 'title';
            const payload = Buffer.concat([utf8(`{"${other}":"ok","${field}":"`), titleBytes, utf8('"}')]);
            const headers = { ...author.headers, 'content-type': 'application/json' };
            const request: Sent = { method: 'POST', url: '/api/posts', headers, payload };
            const response = await send(request);
            const where = `${describeExchange(request, response)}\n  ${field} bytes sent: ${titleBytes.toString('hex')}`;
            expectApiContract(request, response);
            if (response.statusCode >= 400) return;
            const { id } = JSON.parse(response.body) as PostResponseBody;
            const stored = (await postRow(id))[field];
            expect(utf8(stored).toString('hex'), where).toBe(titleBytes.toString('hex'));
          },
        ),
        runs(30),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------
// 4. Web forms: never a 5xx, never an echo of markup
// ---------------------------------------------------------------------------

describe('web form posts under hostile input', () => {
  it(
    'POST /login: never a 5xx, no markup echoed, redirects stay on this site',
    async () => {
      await fc.assert(
        fc.asyncProperty(formPlan(['email', 'password', 'next']), async (plan) => {
          const request = formRequest('/login', plan, plan.pairs);
          expectPageContract(
            request,
            await send(request),
            plan.pairs.map(([, value]) => value),
          );
        }),
        runs(80),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'POST /register: never a 5xx, no markup echoed, an accepted username is stored exactly',
    async () => {
      const { app } = world();
      await fc.assert(
        fc.asyncProperty(formPlan(['username', 'email', 'password']), validUsername, async (plan, username) => {
          const email = `web-${randomUUID()}@example.com`;
          // Half the runs are a valid registration with a hostile username, so the success path is exercised too.
          const valid = plan.validRegistration && plan.raw === null;
          const pairs: [string, string][] = valid
            ? [
                ['username', username],
                ['email', email],
                ['password', 'correct horse battery'],
              ]
            : plan.pairs;
          const request = formRequest('/register', plan, pairs);
          const response = await send(request);
          expectPageContract(
            request,
            response,
            pairs.map(([, value]) => value),
          );
          if (valid && (response.statusCode === 303 || response.statusCode === 201)) {
            const row = await app.db
              .selectFrom('users')
              .select('username')
              .where('email', '=', email)
              .executeTakeFirstOrThrow();
            expectSameText(row.username, username, 'registered username');
          }
        }),
        runs(60),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'POST /logout: never a 5xx, whatever the body',
    async () => {
      await fc.assert(
        fc.asyncProperty(formPlan(['next']), async (plan) => {
          // Never the attacker's own session: a logout would revoke the token the other properties use.
          const request = formRequest(
            '/logout',
            { ...plan, cookie: plan.cookie === 'attacker' ? 'garbage' : plan.cookie },
            plan.pairs,
          );
          expectPageContract(request, await send(request), []);
        }),
        runs(40),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------
// Login endpoints with rate limiting on: hostile keys for the limiter too
// ---------------------------------------------------------------------------

describe('login endpoints with rate limiting on', () => {
  const limited = useTestApp({ RATE_LIMIT_ENABLED: 'true' });

  it(
    'POST /api/users/token and POST /login with hostile emails: never a 5xx; a 429 says when to retry',
    async () => {
      const { app } = await limited();
      const email = fc.oneof(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'hasOwnProperty',
          'toString',
          '',
          ' ',
          'A@EXAMPLE.COM',
          'a@example.com',
          '\u0000',
          'x'.repeat(320),
        ),
        hostileString.filter((text) => text.length <= 320),
      );
      const urls = fc.constantFrom('/api/users/token', '/login');
      const addresses = fc.constantFrom('1.2.3.4', '::1', '127.0.0.1');
      await fc.assert(
        fc.asyncProperty(email, urls, addresses, async (username, url, ip) => {
          const form: Record<string, string> =
            url === '/login'
              ? { email: username, password: 'wrong password' }
              : { username, password: 'wrong password' };
          const request: Sent = {
            method: 'POST',
            url,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'sec-fetch-site': 'same-origin',
              'x-forwarded-for': ip,
            },
            payload: new URLSearchParams(form).toString(),
          };
          const raw = await app.inject({
            method: 'POST',
            url,
            headers: request.headers,
            payload: request.payload,
            remoteAddress: ip,
          });
          const response: Answer = {
            statusCode: raw.statusCode,
            headers: raw.headers,
            body: raw.body,
            rawPayload: raw.rawPayload,
          };
          const where = describeExchange(request, response);
          expect(response.statusCode, where).toBeLessThan(500);
          expect([401, 422, 429], where).toContain(response.statusCode);
          if (url === '/api/users/token') expectApiContract(request, response);
          if (response.statusCode === 429) expect(String(response.headers['retry-after']), where).toMatch(/^[1-9]\d*$/);
        }),
        runs(40),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------
// After everything above: the victim's data is exactly as it was
// ---------------------------------------------------------------------------

describe('after every property above', () => {
  it("the victim's account, post, post list, picture and database rows are unchanged", async () => {
    await expectVictimUnchanged('victim state after all hostile properties');
    // The snapshot itself is meaningful: the victim still has its post and picture.
    const { snapshot } = world();
    expect(snapshot.api.post?.status).toBe(200);
    expect(snapshot.picture.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshot.rows.posts).toHaveLength(1);
  });
});

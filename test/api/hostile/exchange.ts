// Sending a drawn request to the app and describing what came back; how long
// a property may run; reading a post back.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { PostResponseBody } from '../../../src/schemas/posts.js';
import type { Headers } from '../../helpers/index.js';
import { world } from './world.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Sent {
  method: Method;
  url: string;
  headers: Headers;
  payload?: string | Buffer;
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  rawPayload: Buffer;
}

/** The time a property test may take. */
export const PROPERTY_TIMEOUT = 60_000;
/** fast-check stops (and reports what it has, shrunk so far) well before the test times out. */
const INTERRUPT_AFTER = 45_000;

/** fast-check's parameters: this many runs, and a run still going after the time limit is a failure. */
export const runs = (numRuns: number, interruptAfter = INTERRUPT_AFTER) => ({
  numRuns,
  plugins: [fc.interruptAfterTimeLimit(interruptAfter, { failOnInterrupt: true })],
});

/** Every request must be answered; one that is not within this time is a failure (a hang), not a slow test. */
const ANSWER_WITHIN = 3_000;

export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

const describePayload = (request: Sent, length: number) =>
  request.payload === undefined
    ? ''
    : ` payload(${request.payload.length}): ${JSON.stringify(String(request.payload).slice(0, length))}`;

const describeRequest = (request: Sent, payloadLength: number) =>
  `${request.method} ${request.url.slice(0, 160)} headers=${JSON.stringify(request.headers).slice(0, 200)}${describePayload(request, payloadLength)}`;

/** Sends the request to the world's app; a NoAnswerError after ANSWER_WITHIN. */
export async function send(request: Sent): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const noAnswer = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new NoAnswerError(`no answer within ${ANSWER_WITHIN} ms: ${describeRequest(request, 200)}`));
    }, ANSWER_WITHIN);
  });
  try {
    const response = await Promise.race([
      world().app.inject({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
      }),
      noAnswer,
    ]);
    const { statusCode, headers, body, rawPayload } = response;
    return { statusCode, headers, body, rawPayload };
  } finally {
    clearTimeout(timer);
  }
}

/** send, but an unanswered request gives null (for the properties that are not about answering at all). */
export async function sendOrNull(request: Sent): Promise<Answer | null> {
  return send(request).catch((error: unknown) => {
    if (error instanceof NoAnswerError) return null;
    throw error;
  });
}

/** One line that says what was sent and what came back, for failure messages. */
export function describeExchange(request: Sent, response: Answer): string {
  return `${describeRequest(request, 160)}\n  -> ${response.statusCode} ${response.body.slice(0, 300)}`;
}

export function jsonRequest(method: Method, url: string, headers: Headers, body: unknown): Sent {
  return { method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

/** GET /api/posts/{id}, which must answer 200. */
export async function readPost(id: number) {
  const response = await send({ method: 'GET', url: `/api/posts/${id}`, headers: {} });
  expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
  return JSON.parse(response.body) as PostResponseBody;
}

/** The stored row of a post. */
export async function postRow(id: number) {
  return world()
    .app.db.selectFrom('posts')
    .select(['title', 'content', 'user_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export type TextField = 'title' | 'content' | 'username';

/** The author writes `text` into one field: a new post (title or content) or its own username. */
export function writeText(field: TextField, text: string): Sent {
  const { author } = world();
  if (field === 'username') return jsonRequest('PATCH', `/api/users/${author.id}`, author.headers, { username: text });
  const body = field === 'title' ? { title: text, content: 'c' } : { title: 't', content: text };
  return jsonRequest('POST', '/api/posts', author.headers, body);
}

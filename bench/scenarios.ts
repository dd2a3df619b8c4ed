// The scenario table, in the order it runs: reads first (floor and blog
// alternating), then writes, the mixed run, and with WORKERS=n some reads
// again. A load generator's title is its scenario's id with spaces.
import { COMMON_WORD, LONG_POST_ID, RARE_WORD } from './dataset.js';
import type { ScenarioBase } from './measure.js';
import type { Server } from './processes.js';
import type { LoadSpec } from './protocol.js';
import type { RequestSets, WriteSets } from './requests.js';
import { settings } from './settings.js';

export interface Scenario {
  base: ScenarioBase;
  target: Server;
  load: LoadSpec;
}

function scenario(base: ScenarioBase, target: Server, load: Partial<LoadSpec>): Scenario {
  const spec: LoadSpec = {
    connections: settings.readConnections,
    duration: settings.duration,
    ...load,
    title: base.id.replaceAll('-', ' '),
    url: target.origin,
  };
  return { base, target, load: spec };
}

const COMPRESSED = { 'accept-encoding': 'br, gzip' };

/** The steady readers of the quiet and the mixed run. */
const readers = (sets: RequestSets): Partial<LoadSpec> => ({
  paths: sets.readerPaths,
  seed: 11,
  rate: settings.readerRate,
});

export function readScenarios(floor: Server, blog: Server, sets: RequestSets): Scenario[] {
  const warmup = settings.warmup;
  const onFloor = (id: string, name: string, request: string, load: Partial<LoadSpec>) =>
    scenario({ id, name, target: 'floor', request }, floor, { ...load, warmup });
  const onBlog = (id: string, name: string, request: string, load: Partial<LoadSpec>, floorRef = 'floor-page') =>
    scenario({ id, name, target: 'blog', request, floorRef, read: true }, blog, { ...load, warmup });
  const page = { path: '/api/posts' };
  const post = { paths: sets.postPaths };
  const deep = `/api/posts?skip=${sets.deepSkip}`;
  return [
    onFloor('floor-page', 'floor: GET /api/posts first page', 'GET /api/posts', page),
    onBlog('page', 'GET /api/posts first page', 'GET /api/posts', page),
    onFloor('floor-post', 'floor: GET /api/posts/{id}', 'GET /api/posts/{random id}', post),
    onBlog('post', 'GET /api/posts/{id}', 'GET /api/posts/{random id}', post, 'floor-post'),
    onBlog('home', 'home page HTML', 'GET /', { path: '/', headers: { accept: 'text/html' } }),
    // The same three as a browser asks for them: compressed (brotli).
    onBlog('page-br', 'GET /api/posts first page, brotli', 'GET /api/posts, Accept-Encoding: br, gzip', {
      ...page,
      headers: COMPRESSED,
    }),
    onBlog(
      'post-br',
      'GET /api/posts/{id}, brotli',
      'GET /api/posts/{random id}, Accept-Encoding: br, gzip',
      { ...post, headers: COMPRESSED },
      'floor-post',
    ),
    onBlog('home-br', 'home page HTML, brotli', 'GET /, Accept-Encoding: br, gzip', {
      path: '/',
      headers: { accept: 'text/html', ...COMPRESSED },
    }),
    onBlog('deep', 'deep page', `GET ${deep}`, { path: deep }),
    onBlog('user-posts', "a user's posts", 'GET /api/users/{random id}/posts', { paths: sets.userPostsPaths }),
    onBlog('search-common', 'search, a common word', `GET /api/posts?q=${COMMON_WORD}`, {
      path: `/api/posts?q=${COMMON_WORD}`,
    }),
    onBlog('search-rare', 'search, a rare word', `GET /api/posts?q=${RARE_WORD}`, {
      path: `/api/posts?q=${RARE_WORD}`,
    }),
    onBlog('feed', 'Atom feed', 'GET /feed.xml', { path: '/feed.xml' }),
    onBlog('long-post', 'a long Markdown post, HTML', `GET /posts/${LONG_POST_ID}`, {
      path: `/posts/${LONG_POST_ID}`,
      headers: { accept: 'text/html' },
    }),
    // The same steady reader load as in the mixed run, alone: the baseline of its p99.
    onBlog('readers-quiet', 'readers alone (quiet)', 'GET /api/posts?skip={0..1000}', readers(sets)),
  ];
}

const loginLoad = (sets: RequestSets, connections: number): Partial<LoadSpec> => ({
  connections,
  method: 'POST',
  path: '/api/users/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  bodies: sets.loginBodies,
});

const uploadLoad = (writes: WriteSets, connections: number): Partial<LoadSpec> => ({
  connections,
  method: 'PATCH',
  bodyBase64: writes.uploadBase64,
  perConnection: writes.uploadPerConnection.slice(0, connections),
  timeout: 30,
});

export function writeScenarios(blog: Server, sets: RequestSets, writes: WriteSets): Scenario[] {
  const onBlog = (id: string, name: string, request: string, load: Partial<LoadSpec>) =>
    scenario({ id, name, target: 'blog', request, floorRef: 'floor-page' }, blog, load);
  const create = {
    method: 'POST',
    path: '/api/posts',
    headers: { authorization: `Bearer ${writes.writerToken}`, 'content-type': 'application/json' },
    body: sets.postBody,
  };
  const auth = settings.authConnections;
  const upload = `PATCH /api/users/{id}/picture (${(writes.jpegBytes / 1024).toFixed(0)} KB)`;
  return [
    onBlog('create', 'POST /api/posts with a token', 'POST /api/posts (JSON, ~1 KB)', create),
    // One client: what one sign-in or one upload costs on an idle server.
    onBlog('login-1', 'login (Argon2id), 1 client', 'POST /api/users/token (form)', loginLoad(sets, 1)),
    onBlog('upload-1', 'picture upload (2 MP JPEG), 1 client', upload, uploadLoad(writes, 1)),
    onBlog('login', `login (Argon2id), ${auth} clients`, 'POST /api/users/token (form)', loginLoad(sets, auth)),
    onBlog('upload', `picture upload (2 MP JPEG), ${auth} clients`, upload, uploadLoad(writes, auth)),
  ];
}

/**
 * Readers while the login and the upload scenario's loads run at once: one
 * scenario, three generators started together. `mixed` has the steady
 * readers of readers-quiet (their p99 against quiet, and the event loop);
 * `mixed-post` reads single posts at full speed (their req/s against `post`).
 */
export function mixedScenarios(blog: Server, sets: RequestSets, writes: WriteSets): Scenario[][] {
  const part = (id: string, name: string, request: string, load: Partial<LoadSpec>) =>
    scenario({ id, name, target: 'blog', request, read: false, floorRef: 'floor-page' }, blog, load);
  const auth = settings.authConnections;
  const heavy = (run: string) => [
    part(`${run}-logins`, `${run}: logins`, 'POST /api/users/token', loginLoad(sets, auth)),
    part(`${run}-uploads`, `${run}: uploads`, 'PATCH /api/users/{id}/picture', uploadLoad(writes, auth)),
  ];
  return [
    [part('mixed-readers', 'mixed: readers', 'GET /api/posts?skip={0..1000}', readers(sets)), ...heavy('mixed')],
    [
      part('mixed-post-readers', 'mixed: single posts at full speed', 'GET /api/posts/{random id}', {
        paths: sets.postPaths,
      }),
      ...heavy('mixed-post'),
    ],
  ];
}

/** The first page, a single post and the home page again, against the blog started with WORKERS=n. */
export function workerScenarios(workers: Server, reads: Scenario[]): Scenario[] {
  return ['page', 'post', 'home'].flatMap((id) => {
    const single = reads.find((candidate) => candidate.base.id === id);
    if (!single) return [];
    const { name, request, floorRef } = single.base;
    // Not `read`: they run after logins and uploads, so their memory is not of reading alone.
    const base: ScenarioBase = {
      id: `${id}-workers`,
      name: `${name} (WORKERS=${settings.workers})`,
      target: 'blog',
      request,
      floorRef,
    };
    return [scenario(base, workers, single.load)];
  });
}

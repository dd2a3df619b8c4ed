// The targets table: each target a comparison of measured results (ratios to
// the floor, the mixed run against the quiet one, memory, errors), PASS/FAIL
// or "not measured" when a scenario did not run (BENCH_ONLY).
import type { ReportInput, ScenarioResult, Target as Goal } from './report.js';

type Results = (id: string) => ScenarioResult | undefined;

const fmt = (x: number, digits = 2) => x.toFixed(digits);

export const errorCount = (s: ScenarioResult) => s.non2xx + s.errors + s.timeouts;

function ratioTarget(
  name: string,
  a: ScenarioResult | undefined,
  b: ScenarioResult | undefined,
  field: 'requestsPerSecond' | 'p99',
  op: '>=' | '<=',
  limit: number,
): Goal {
  if (!a || !b) return { name, measured: 'not measured', limit: `${op} ${limit}x`, pass: null };
  const value = a[field] / b[field];
  const unit = field === 'p99' ? 'ms' : 'req/s';
  const digits = field === 'p99' ? 2 : 0;
  return {
    name,
    measured: `${fmt(value)}x (${fmt(a[field], digits)} vs ${fmt(b[field], digits)} ${unit})`,
    limit: `${op} ${limit}x`,
    pass: op === '>=' ? value >= limit : value <= limit,
  };
}

function ratioTargets(get: Results): Goal[] {
  const rps = 'requestsPerSecond';
  return [
    ratioTarget('/api/posts page: req/s vs floor', get('page'), get('floor-page'), rps, '>=', 1.0),
    ratioTarget('/api/posts page: p99 vs floor', get('page'), get('floor-page'), 'p99', '<=', 1.5),
    ratioTarget('single post: req/s vs floor', get('post'), get('floor-post'), rps, '>=', 0.8),
    ratioTarget('single post: p99 vs floor', get('post'), get('floor-post'), 'p99', '<=', 1.5),
    ratioTarget('home page HTML: req/s vs floor JSON page', get('home'), get('floor-page'), rps, '>=', 0.8),
    // What a browser gets: compressed (brotli) costs at most 15% of the uncompressed throughput.
    ratioTarget('first page, brotli: req/s vs uncompressed', get('page-br'), get('page'), rps, '>=', 0.85),
    ratioTarget('single post, brotli: req/s vs uncompressed', get('post-br'), get('post'), rps, '>=', 0.85),
    ratioTarget('home page, brotli: req/s vs uncompressed', get('home-br'), get('home'), rps, '>=', 0.85),
    ratioTarget('deep page: req/s vs our first page', get('deep'), get('page'), rps, '>=', 0.5),
    ratioTarget('search, common word: p99 vs first page', get('search-common'), get('page'), 'p99', '<=', 10),
    ratioTarget('search, rare word: p99 vs first page', get('search-rare'), get('page'), 'p99', '<=', 10),
    // Kept against the revision counter: serving it costs about what a page costs.
    ratioTarget('Atom feed: p99 vs first page', get('feed'), get('page'), 'p99', '<=', 3),
    // Stored HTML: a long post costs its bytes, not a rendering.
    ratioTarget('long Markdown post page: req/s vs home page', get('long-post'), get('home'), rps, '>=', 0.3),
  ];
}

const loopTarget = (name: string, result: ScenarioResult | undefined): Goal =>
  result && result.eventLoopP99 !== null
    ? { name, measured: `${fmt(result.eventLoopP99)} ms`, limit: '< 20 ms', pass: result.eventLoopP99 < 20 }
    : { name, measured: 'not measured', limit: '< 20 ms', pass: null };

/**
 * Logins and uploads from BENCH_AUTH_CONNECTIONS clients, before heavy work
 * used every core: measured by this harness on commit 30460c8 (Argon2id
 * 19 MiB, t=2, p=1; bench/results/2026-12-04-heavy-before.md).
 */
export const HEAVY_BASELINE = { loginsPerSecond: 46.7, uploadsPerSecond: 45.7 };

function againstBaseline(name: string, result: ScenarioResult | undefined, before: number, limit: number): Goal {
  if (!result) return { name, measured: 'not measured', limit: `>= ${limit}x`, pass: null };
  const value = result.requestsPerSecond / before;
  const measured = `${fmt(value)}x (${fmt(result.requestsPerSecond, 1)} vs ${fmt(before, 1)} req/s)`;
  return { name, measured, limit: `>= ${limit}x`, pass: value >= limit };
}

function heavyTargets(get: Results): Goal[] {
  const single = get('upload-1');
  const latencyName = 'one client: upload p50 latency';
  const latency: Goal = single
    ? { name: latencyName, measured: `${fmt(single.p50, 1)} ms`, limit: '<= 20 ms', pass: single.p50 <= 20 }
    : { name: latencyName, measured: 'not measured', limit: '<= 20 ms', pass: null };
  return [
    againstBaseline('logins/s vs before', get('login'), HEAVY_BASELINE.loginsPerSecond, 1.6),
    againstBaseline('uploads/s vs before', get('upload'), HEAVY_BASELINE.uploadsPerSecond, 3),
    latency,
    loopTarget('logins: event-loop delay p99', get('login')),
    loopTarget('uploads: event-loop delay p99', get('upload')),
  ];
}

function mixedTargets(get: Results): Goal[] {
  const rps = 'requestsPerSecond';
  return [
    loopTarget('mixed: event-loop delay p99', get('mixed-readers')),
    ratioTarget("mixed: readers' p99 vs quiet", get('mixed-readers'), get('readers-quiet'), 'p99', '<=', 2),
    ratioTarget('mixed: single post req/s vs quiet', get('mixed-post-readers'), get('post'), rps, '>=', 0.5),
  ];
}

/** The largest peak RSS of the read scenarios; no row when none was measured. */
function readMemoryTargets(results: ScenarioResult[]): Goal[] {
  const reads = results.flatMap((s) => (s.read && s.peakRssBytes !== null ? [{ s, rss: s.peakRssBytes }] : []));
  if (reads.length === 0) return [];
  const worst = reads.reduce((a, b) => (a.rss >= b.rss ? a : b));
  const value = worst.rss / 1048576;
  return [
    {
      name: 'peak RSS, read scenarios (run before any login or upload)',
      measured: `${fmt(value, 0)} MB (${worst.s.name})`,
      limit: '< 200 MB',
      pass: value < 200,
    },
  ];
}

function soundnessTargets(results: ScenarioResult[], identity: ReportInput['identity']): Goal[] {
  const withErrors = results.filter((s) => errorCount(s) > 0);
  const identical = identity.every((c) => c.identical);
  return [
    {
      name: 'errors (non-2xx, socket errors, timeouts), every scenario',
      measured: withErrors.length === 0 ? '0' : withErrors.map((s) => `${s.id}: ${errorCount(s)}`).join(', '),
      limit: '0',
      pass: withErrors.length === 0,
    },
    { name: 'floor answers byte-identical JSON', measured: identical ? 'yes' : 'no', limit: 'yes', pass: identical },
  ];
}

/** WORKERS=n is optional: its row reports the req/s against one process and never fails. */
function workersTarget(get: Results, workers: number): Goal {
  if (workers <= 1) {
    const measured = 'not run (set WORKERS=n, e.g. WORKERS=2)';
    return { name: 'WORKERS=n multi-core mode', measured, limit: 'optional', pass: null };
  }
  const parts = (['page', 'post', 'home'] as const).flatMap((id) => {
    const single = get(id);
    const multi = get(`${id}-workers`);
    if (!single || !multi) return [];
    const times = fmt(multi.requestsPerSecond / single.requestsPerSecond);
    return [`${id} ${fmt(multi.requestsPerSecond, 0)} req/s = ${times}x one process`];
  });
  const measured = parts.join('; ') || 'not measured';
  return { name: `WORKERS=${workers} multi-core mode`, measured, limit: 'optional', pass: null, result: 'RUN' };
}

export function targetsOf(results: ScenarioResult[], identity: ReportInput['identity'], workers: number): Goal[] {
  const get: Results = (id) => results.find((s) => s.id === id);
  return [
    ...ratioTargets(get),
    ...heavyTargets(get),
    ...mixedTargets(get),
    ...readMemoryTargets(results),
    ...soundnessTargets(results, identity),
    workersTarget(get, workers),
  ];
}

// Running the scenario table: each scenario checked with one request, then
// measured; BENCH_REPEAT rounds over a whole list, so a noisy minute hits the
// floor and the blog alike; one combined result per scenario.
import { element } from './lists.js';
import { measure, toResult } from './measure.js';
import type { Server } from './processes.js';
import type { LoadSpec } from './protocol.js';
import { combineRounds, type ScenarioResult } from './report.js';
import type { Scenario } from './scenarios.js';
import { log, selected, settings } from './settings.js';

/**
 * One request of the scenario, sent before it is measured: it must be a 2xx
 * of the expected type (a wrong path would otherwise be measured as another page).
 */
/** The content type each scenario answers with: pages are HTML, the feed Atom, the rest JSON. */
function expectedType(id: string): string {
  if (id.startsWith('home') || id === 'long-post') return 'text/html';
  if (id === 'feed') return 'application/atom+xml';
  return 'application/json';
}

/** The -br scenarios measure compression: their check fails if the answer is not brotli. */
const expectedEncoding = (id: string) => (id.endsWith('-br') ? 'br' : null);

async function preflight(load: LoadSpec, wanted: string, encoding: string | null) {
  const first = load.perConnection?.[0];
  const requestPath = first?.path ?? load.paths?.[0] ?? load.path ?? '/';
  const body =
    load.bodyBase64 !== undefined
      ? new Uint8Array(Buffer.from(load.bodyBase64, 'base64'))
      : (load.bodies?.[0] ?? load.body);
  const response = await fetch(new URL(requestPath, load.url), {
    method: load.method ?? 'GET',
    headers: { ...load.headers, ...first?.headers },
    body,
  });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const sentEncoding = response.headers.get('content-encoding');
  if (encoding !== null && sentEncoding !== encoding) {
    throw new Error(`${load.title}: answered Content-Encoding ${sentEncoding ?? 'none'}, expected ${encoding}`);
  }
  if (response.status < 200 || response.status > 299 || !type.includes(wanted)) {
    const sent = `${load.method ?? 'GET'} ${requestPath}`;
    throw new Error(
      `${load.title}: ${sent} answered ${response.status} ${type}, expected 2xx ${wanted}: ${text.slice(0, 300)}`,
    );
  }
}

const roundOf = (round: number) => (settings.repeat > 1 ? ` (round ${round} of ${settings.repeat})` : '');

async function runScenario(scenario: Scenario, round: number): Promise<ScenarioResult> {
  const { base, load } = scenario;
  log(
    `${base.name}${roundOf(round)}: ${load.connections} connections, ` +
      `${load.warmup ?? 0} s warm-up + ${settings.duration} s…`,
  );
  await preflight(load, expectedType(base.id), expectedEncoding(base.id));
  const measured = await measure(scenario.target, [load]);
  const result = toResult(base, element(measured.outputs, 0), measured);
  const errors = result.non2xx + result.errors + result.timeouts;
  const rss = ((result.peakRssBytes ?? 0) / 1048576).toFixed(0);
  log(
    `  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
      `errors ${errors}, peak RSS ${rss} MB, event loop p99 ${result.eventLoopP99 ?? 'n/a'} ms, ` +
      `server CPU ${result.serverCpuMsPerRequest?.toFixed(2) ?? 'n/a'} ms/req`,
  );
  return result;
}

/** Every selected scenario of the list, BENCH_REPEAT rounds over the whole list. */
export async function runRounds(list: Scenario[]): Promise<ScenarioResult[]> {
  const rounds = new Map<string, ScenarioResult[]>();
  for (let round = 1; round <= settings.repeat; round++) {
    for (const scenario of list.filter((candidate) => selected(candidate.base.id))) {
      const runs = rounds.get(scenario.base.id) ?? [];
      runs.push(await runScenario(scenario, round));
      rounds.set(scenario.base.id, runs);
    }
  }
  return [...rounds.values()].map((runs) => combineRounds(runs));
}

/** The parts of one mixed run, measured together on the blog; a result per part. */
export async function runMixed(blog: Server, parts: Scenario[]): Promise<ScenarioResult[]> {
  const rounds = parts.map((): ScenarioResult[] => []);
  const name = element(parts, 0).base.id.replace(/-readers$/, '');
  for (let round = 1; round <= settings.repeat; round++) {
    log(`${name}${roundOf(round)}: ${parts.map((part) => part.base.name).join(', ')}, ${settings.duration} s…`);
    const measured = await measure(
      blog,
      parts.map((part) => part.load),
    );
    parts.forEach((part, i) => {
      element(rounds, i).push(toResult(part.base, element(measured.outputs, i), measured));
    });
    const summary = parts
      .map((part, i) => {
        const result = element(element(rounds, i), round - 1);
        return `${part.base.id} ${result.requestsPerSecond.toFixed(1)} req/s p99 ${result.p99} ms`;
      })
      .join('; ');
    const loop = element(element(rounds, 0), round - 1).eventLoopP99;
    log(`  ${summary}; event loop p99 ${String(loop)} ms`);
  }
  return rounds.map((runs) => combineRounds(runs));
}

// Turns the measurements of one run into the markdown report
// (bench/results/YYYY-MM-DD.md): machine, results table, targets table, notes.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { element } from './lists.js';

export interface ScenarioResult {
  /** Short id, e.g. `page`. */
  id: string;
  /** Display name, e.g. "GET /api/posts first page". */
  name: string;
  /** Which process answered. */
  target: 'blog' | 'floor';
  /** What was sent, e.g. `GET /api/posts?skip=90000`. */
  request: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Latency of 2xx responses, ms. */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Peak resident set of the answering process during the measured run, bytes; null when not measured. */
  peakRssBytes: number | null;
  /** RssAnon at that peak (the rest is file-backed: code, shared libraries, mapped files). */
  peakRssAnonBytes: number | null;
  /** monitorEventLoopDelay p99 of the answering process during the measured run, ms. */
  eventLoopP99: number | null;
  eventLoopMax: number | null;
  /** CPU time of the answering process per 2xx response, ms (a run of one generator only). */
  serverCpuMsPerRequest: number | null;
  /** CPU time of the answering process over the measured run, in cores (1 = one core all the time). */
  serverCores: number | null;
  /** Id of the floor scenario this one is compared with. */
  floorRef?: string;
  /** Counts towards the "read scenarios" RSS target. */
  read?: boolean;
  /** With BENCH_REPEAT > 1: req/s of every round (the figures above are medians over the rounds). */
  roundsRequestsPerSecond?: number[];
  note?: string;
}

export interface Target {
  name: string;
  measured: string;
  limit: string;
  pass: boolean | null;
  /** Shown instead of PASS/FAIL/NOT RUN. */
  result?: string;
}

export interface ReportInput {
  startedAt: Date;
  finishedAt: Date;
  loadAverageAtStart: number[];
  /** What was built, e.g. "commit abc1234". */
  version: string;
  dataset: { users: number; posts: number; dbBytes: number; seedSeconds: number };
  settings: {
    duration: number;
    warmup: number;
    readConnections: number;
    authConnections: number;
    mixed: string;
    repeat: number;
  };
  identity: { what: string; identical: boolean; detail: string }[];
  scenarios: ScenarioResult[];
  targets: Target[];
  notes: string[];
}

/** The middle value; with an even count, the lower of the two middle ones. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return element(sorted, Math.floor((sorted.length - 1) / 2));
}

/** The median of the values measured (null: not measured in that round). */
function medianOrNull(values: (number | null)[]): number | null {
  const measured = values.filter((value): value is number => value !== null);
  return measured.length === 0 ? null : median(measured);
}

/**
 * One result from several rounds of a scenario: the median of each of req/s,
 * p50 and p99 over the rounds (each on its own: for a load sent at a fixed
 * rate the rounds' req/s are equal and say nothing about which latency is
 * typical); errors summed over all rounds; peak RSS and event-loop delay of
 * the worst round.
 */
export function combineRounds(runs: ScenarioResult[]): ScenarioResult {
  const first = element(runs, 0);
  if (runs.length === 1) return first;
  const sum = (pick: (run: ScenarioResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const worst = (pick: (run: ScenarioResult) => number | null) => {
    const values = runs.map(pick).filter((value): value is number => value !== null);
    return values.length > 0 ? Math.max(...values) : null;
  };
  const statusCodes: Record<string, number> = {};
  for (const run of runs) {
    for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  return {
    ...first,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    requests: sum((run) => run.requests),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    statusCodes,
    peakRssBytes: worst((run) => run.peakRssBytes),
    peakRssAnonBytes: runs.find((run) => run.peakRssBytes === worst((r) => r.peakRssBytes))?.peakRssAnonBytes ?? null,
    eventLoopP99: worst((run) => run.eventLoopP99),
    eventLoopMax: worst((run) => run.eventLoopMax),
    serverCpuMsPerRequest: medianOrNull(runs.map((run) => run.serverCpuMsPerRequest)),
    serverCores: medianOrNull(runs.map((run) => run.serverCores)),
    roundsRequestsPerSecond: runs.map((run) => run.requestsPerSecond),
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : fixed(bytes / (1024 * 1024), 0));
const ratio = (value: number) => `${fixed(value, 2)}x`;

export function machineLine(input: Pick<ReportInput, 'startedAt' | 'loadAverageAtStart'>): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  const load = input.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ');
  return (
    `${os.type()} ${os.release()} (${os.arch()}), ${model}, ${cores} cores, ` +
    `${fixed(os.totalmem() / 1024 ** 3, 1)} GiB RAM, Node ${process.version}, ` +
    `${input.startedAt.toISOString()}, load average at start ${load}`
  );
}

function errorsCell(s: ScenarioResult): string {
  const total = s.non2xx + s.errors + s.timeouts;
  if (total === 0) return '0';
  const codes = Object.entries(s.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');
  return `**${total}** (non2xx ${s.non2xx}${codes ? `: ${codes}` : ''}, errors ${s.errors}, timeouts ${s.timeouts})`;
}

/** "0.41 ms/req, 0.98 cores": what the server spent per answer, and how busy it was. */
function cpuCell(s: ScenarioResult): string {
  const parts = [
    s.serverCpuMsPerRequest === null ? '' : `${fixed(s.serverCpuMsPerRequest, 2)} ms/req`,
    s.serverCores === null ? '' : `${fixed(s.serverCores, 2)} cores`,
  ].filter(Boolean);
  return parts.join(', ') || 'n/a';
}

function throughputCell(s: ScenarioResult): string {
  const rounds = s.roundsRequestsPerSecond;
  if (!rounds || rounds.length < 2) return fixed(s.requestsPerSecond, 0);
  return `${fixed(s.requestsPerSecond, 0)} (${fixed(Math.min(...rounds), 0)}–${fixed(Math.max(...rounds), 0)})`;
}

export function buildReport(input: ReportInput): string {
  const byId = new Map(input.scenarios.map((s) => [s.id, s]));
  const lines: string[] = [];
  lines.push(`# Benchmark ${input.startedAt.toISOString().slice(0, 10)}`);
  lines.push('');
  lines.push(`Machine: ${machineLine(input)}.`);
  lines.push('');
  lines.push(`Code: ${input.version} (built at the start of the run).`);
  lines.push('');
  lines.push(
    `Data: ${input.dataset.users.toLocaleString('en-US')} users, ${input.dataset.posts.toLocaleString('en-US')} posts ` +
      `(200–2,000 characters), SQLite ${mb(input.dataset.dbBytes)} MB, seeded in ${input.dataset.seedSeconds} s. ` +
      `Each scenario: ${input.settings.duration} s measured` +
      ` (reads after ${input.settings.warmup} s of warm-up), ${input.settings.readConnections} connections for reads and posting, ` +
      `${input.settings.authConnections} for login and upload; mixed: ${input.settings.mixed}. ` +
      (input.settings.repeat > 1
        ? `${input.settings.repeat} rounds of every scenario, interleaved: req/s, p50 and p99 are each the median over the rounds (the range of req/s in brackets), errors the sum, peak RSS and event-loop delay the worst round's. `
        : '') +
      `Load from autocannon in separate processes on 127.0.0.1. Run took ${fixed((input.finishedAt.getTime() - input.startedAt.getTime()) / 1000, 0)} s.`,
  );
  lines.push('');
  lines.push(
    '| scenario | request | conns | req/s | p50 ms | p99 ms | errors | peak RSS MB (anon) | event-loop p99 ms | server CPU | vs floor req/s | vs floor p99 |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
  for (const s of input.scenarios) {
    const floor = s.floorRef ? byId.get(s.floorRef) : undefined;
    const vsRps = floor && floor.requestsPerSecond > 0 ? ratio(s.requestsPerSecond / floor.requestsPerSecond) : '–';
    const vsP99 = floor && floor.p99 > 0 ? ratio(s.p99 / floor.p99) : '–';
    const name = s.target === 'floor' ? `*${s.name}*` : s.name;
    const rss = s.peakRssAnonBytes === null ? mb(s.peakRssBytes) : `${mb(s.peakRssBytes)} (${mb(s.peakRssAnonBytes)})`;
    lines.push(
      `| ${name} | \`${s.request}\` | ${s.connections} | ${throughputCell(s)} | ${fixed(s.p50, 2)} | ${fixed(s.p99, 2)} | ` +
        `${errorsCell(s)} | ${rss} | ${s.eventLoopP99 === null ? 'n/a' : fixed(s.eventLoopP99, 1)} | ${cpuCell(s)} | ${vsRps} | ${vsP99} |`,
    );
  }
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | measured | limit | result |');
  lines.push('|---|---|---|---|');
  for (const t of input.targets) {
    const result = t.result ?? (t.pass === null ? 'NOT RUN' : t.pass ? 'PASS' : '**FAIL**');
    lines.push(`| ${t.name} | ${t.measured} | ${t.limit} | ${result} |`);
  }
  lines.push('');
  lines.push('## Notes');
  lines.push('');
  for (const check of input.identity) {
    lines.push(
      `- Floor vs blog, ${check.what}: ${check.identical ? 'byte-identical JSON' : `**differs** – ${check.detail}`}.`,
    );
  }
  for (const s of input.scenarios) if (s.note) lines.push(`- ${s.name}: ${s.note}`);
  for (const note of input.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}

/** Writes bench/results/YYYY-MM-DD.md (overwriting a report of the same day); returns its path. */
export function writeReport(markdown: string, directory: string, date: Date, name = ''): string {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${date.toISOString().slice(0, 10)}${name ? `-${name}` : ''}.md`);
  writeFileSync(file, markdown);
  return file;
}

// One measured run: load generators (bench/load.ts, one process each) warm up,
// the target's metrics are reset, the generators start together, and the
// target's peak RSS and event-loop delay are read around them.
import path from 'node:path';
import { isMessage, type LoadOutput, type LoadSpec, type ParentMessage } from './protocol.js';
import { assertAlive, cpuMsOf, piped, rssSampler, start, type Rss, type Server } from './processes.js';
import type { ScenarioResult } from './report.js';

interface EventLoopMetrics {
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  rss_bytes: number;
  pid: number;
}

async function resetMetrics(target: Server) {
  const response = await fetch(`${target.origin}/__bench/reset`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`${target.name}: POST /__bench/reset answered ${response.status}`);
}

async function readMetrics(target: Server): Promise<EventLoopMetrics> {
  const response = await fetch(`${target.origin}/__bench/metrics`);
  if (!response.ok) throw new Error(`${target.name}: GET /__bench/metrics answered ${response.status}`);
  return (await response.json()) as EventLoopMetrics;
}

interface LoadChild {
  ready: Promise<void>;
  go(): void;
  result: Promise<LoadOutput>;
}

function startLoad(spec: LoadSpec): LoadChild {
  const child = start(process.execPath, ['--import', 'tsx', path.join('bench', 'load.ts')], {
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
    env: process.env,
  });
  let out = '';
  piped(child.stdout, spec.title).on('data', (chunk: Buffer) => (out += chunk.toString()));
  piped(child.stdin, spec.title).end(JSON.stringify(spec));
  const ready = new Promise<void>((resolve) => {
    child.on('message', (message: unknown) => {
      if (isMessage(message, 'ready')) resolve();
    });
  });
  const result = new Promise<LoadOutput>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`load generator "${spec.title}" failed (${signal ?? `exit ${code}`})`));
        return;
      }
      try {
        resolve(JSON.parse(out) as LoadOutput);
      } catch {
        reject(new Error(`load generator "${spec.title}" printed no result: ${out.slice(0, 500)}`));
      }
    });
  });
  // A generator that dies before it is ready must not leave `ready` hanging.
  const readyOrDead = Promise.race([ready, result.then(() => undefined)]);
  return {
    ready: readyOrDead,
    go: () => {
      if (child.connected) child.send({ type: 'go' } satisfies ParentMessage);
    },
    result,
  };
}

export interface Measured {
  outputs: LoadOutput[];
  peakRss: Rss | null;
  eventLoop: EventLoopMetrics['event_loop_delay_ms'] | null;
  /** CPU time the answering process used during the measured run (ms; one process only). */
  serverCpuMs: number | null;
}

/** Starts the generators, waits for their warm-up, resets the target's metrics, measures. */
export async function measure(target: Server, specs: LoadSpec[]): Promise<Measured> {
  assertAlive(target);
  const loads = specs.map(startLoad);
  await Promise.all(loads.map((load) => load.ready));
  assertAlive(target);
  await resetMetrics(target);
  const sampler = rssSampler(target.pid, target.name === 'blog-workers');
  const cpuBefore = cpuMsOf(target.pid);
  for (const load of loads) load.go();
  let outputs: LoadOutput[];
  let peakRss: Rss | null;
  try {
    outputs = await Promise.all(loads.map((load) => load.result));
  } finally {
    peakRss = sampler.stop();
  }
  const cpuAfter = cpuMsOf(target.pid);
  assertAlive(target);
  const metrics = await readMetrics(target);
  // With several workers, reset and metrics each reach one worker at random: not a measurement.
  const eventLoop = target.name === 'blog-workers' ? null : metrics.event_loop_delay_ms;
  const serverCpuMs =
    cpuBefore === null || cpuAfter === null || target.name === 'blog-workers' ? null : cpuAfter - cpuBefore;
  return { outputs, peakRss, eventLoop, serverCpuMs };
}

/** What a scenario is, before it is measured. */
export type ScenarioBase = Pick<ScenarioResult, 'id' | 'name' | 'target' | 'request' | 'floorRef' | 'read' | 'note'>;

export function toResult(base: ScenarioBase, output: LoadOutput, measured: Measured): ScenarioResult {
  const ac = output.autocannon;
  return {
    ...base,
    connections: ac.connections,
    durationSeconds: ac.duration,
    requestsPerSecond: output.requestsPerSecond,
    p50: output.latency.p50,
    p99: output.latency.p99,
    requests: ac['2xx'] + ac.non2xx,
    non2xx: ac.non2xx,
    errors: ac.errors,
    timeouts: ac.timeouts,
    statusCodes: Object.fromEntries(Object.entries(ac.statusCodeStats).map(([code, { count }]) => [code, count])),
    peakRssBytes: measured.peakRss?.total ?? null,
    peakRssAnonBytes: measured.peakRss?.anon ?? null,
    eventLoopP99: measured.eventLoop?.p99 ?? null,
    eventLoopMax: measured.eventLoop?.max ?? null,
    // With several generators at once the CPU is shared between them: per request of one part it means nothing.
    serverCpuMsPerRequest:
      measured.serverCpuMs === null || measured.outputs.length > 1 || ac['2xx'] === 0
        ? null
        : measured.serverCpuMs / ac['2xx'],
    serverCores: measured.serverCpuMs === null ? null : measured.serverCpuMs / (ac.duration * 1000),
  };
}

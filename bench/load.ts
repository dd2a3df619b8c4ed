// Load generator: runs autocannon in its own process, so that generating load
// never shares an event loop with the server being measured.
//
//   node --import tsx bench/load.ts '<LoadSpec JSON>'     (or the JSON on stdin)
//
// Prints one LoadOutput JSON document on stdout. When started with an IPC
// channel (by measure.ts), it warms up, sends {type:'ready'} and waits for
// {type:'go'} before the measured run, so the orchestrator can reset the
// server's metrics (and start several generators at once) at that moment.
import autocannon, { type Client, type Options, type Request } from 'autocannon';
import { prng } from './dataset.js';
import { element, randomElement } from './lists.js';
import { pathPicker, runPaced } from './paced.js';
import {
  isMessage,
  type ChildMessage,
  type LoadCounts,
  type LoadOutput,
  type LoadSpec,
  type PreciseLatency,
} from './protocol.js';

async function readSpec(): Promise<LoadSpec> {
  const fromArgv = process.argv[2];
  if (fromArgv) return JSON.parse(fromArgv) as LoadSpec;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadSpec;
}

/** Growable buffer of latencies in ms. */
class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(value: number) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  summary(): PreciseLatency {
    const sorted = this.data.slice(0, this.length).sort();
    const n = sorted.length;
    if (n === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const at = (q: number) => element(sorted, Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1)));
    let sum = 0;
    for (const value of sorted) sum += value;
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      count: n,
      mean: round(sum / n),
      p50: round(at(0.5)),
      p90: round(at(0.9)),
      p99: round(at(0.99)),
      max: round(element(sorted, n - 1)),
    };
  }
}

function buildOptions(spec: LoadSpec, duration: number): Options {
  const random = prng(spec.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => randomElement(list, random);
  // autocannon takes the default path from the URL (an option `path` would be ignored).
  const defaultPath = spec.path ?? '/';
  const options: Options = {
    url: new URL(defaultPath, spec.url).href,
    title: spec.title,
    connections: spec.connections,
    duration,
    timeout: spec.timeout ?? 10,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
  };
  if (spec.bodyBase64 !== undefined) options.body = Buffer.from(spec.bodyBase64, 'base64');
  else if (spec.body !== undefined) options.body = spec.body;

  const { paths, bodies, perConnection } = spec;
  if ((paths && paths.length > 0) || (bodies && bodies.length > 0)) {
    const request: Request = {
      setupRequest: (request) => {
        if (paths && paths.length > 0) request.path = pick(paths);
        if (bodies && bodies.length > 0) request.body = pick(bodies);
        return request;
      },
    };
    options.requests = [request];
  }
  if (perConnection && perConnection.length > 0) {
    // Decoded once: every connection's request buffer is built once and reused.
    const entries = perConnection.map((entry) => ({
      path: entry.path ?? defaultPath,
      headers: { ...options.headers, ...entry.headers },
      body: entry.bodyBase64 !== undefined ? Buffer.from(entry.bodyBase64, 'base64') : options.body,
    }));
    let next = 0;
    options.setupClient = (client: Client) => {
      const entry = element(entries, next++ % entries.length);
      client.setRequests([{ method: options.method, path: entry.path, headers: entry.headers, body: entry.body }]);
    };
  }
  return options;
}

function run(spec: LoadSpec, duration: number, samples?: Samples): Promise<LoadCounts> {
  const { rate } = spec;
  if (rate) {
    return runPaced({ ...spec, rate }, duration, pathPicker(spec, prng(spec.seed ?? 1)), (ms) => samples?.push(ms));
  }
  return new Promise((resolve, reject) => {
    const instance = autocannon(buildOptions(spec, duration), (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
    if (samples) {
      instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
      });
    }
  });
}

function waitForGo(): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (isMessage(message, 'go')) {
        process.off('message', onMessage);
        resolve();
      }
    };
    process.on('message', onMessage);
    if (process.send) process.send({ type: 'ready' } satisfies ChildMessage);
    else reject(new Error('no IPC channel to the harness'));
  });
}

const spec = await readSpec();
if (spec.warmup && spec.warmup > 0) await run({ ...spec, title: `${spec.title} (warm-up)` }, spec.warmup);
if (process.send) await waitForGo();
const samples = new Samples();
const result = await run(spec, spec.duration, samples);
const output: LoadOutput = {
  title: spec.title,
  autocannon: result,
  latency: samples.summary(),
  requestsPerSecond: Math.round((result['2xx'] / Math.max(result.duration, 0.001)) * 10) / 10,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
if (process.connected) process.disconnect();

// Shapes shared by the harness (measure.ts) and the load generator (load.ts).

/** What one load-generator process runs; sent as JSON on stdin (or argv[2]). */
export interface LoadSpec {
  title: string;
  /** Origin, e.g. http://127.0.0.1:8123 */
  url: string;
  connections: number;
  /** Measured seconds. */
  duration: number;
  /** Seconds of the same load before the measured run (not measured). */
  warmup?: number;
  /** Per-request timeout in seconds (autocannon's default is 10). */
  timeout?: number;
  method?: string;
  /** Fixed path (default /). */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Binary body (e.g. multipart), base64. */
  bodyBase64?: string;
  /** Each request picks one of these paths at random. */
  paths?: string[];
  /** Each request picks one of these bodies at random. */
  bodies?: string[];
  /** Connection i sends only requests built from entry i % length (its own user and token). */
  perConnection?: { path?: string; headers?: Record<string, string>; bodyBase64?: string }[];
  /**
   * Requests per second for the whole run, sent at evenly spaced moments over
   * up to `connections` keep-alive connections (bench/paced.ts); unset: as
   * fast as the server answers (autocannon).
   */
  rate?: number;
  /** Seed of the generator's PRNG, so runs pick the same sequence. */
  seed?: number;
}

/** Latency of every 2xx response, measured with hrtime (autocannon's own histogram has 1 ms resolution). */
export interface PreciseLatency {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The counts of a run, as autocannon reports them (the paced generator reports the same). */
export interface LoadCounts {
  connections: number;
  /** Seconds. */
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** What load.ts prints on stdout: one JSON document. */
export interface LoadOutput {
  title: string;
  autocannon: LoadCounts;
  latency: PreciseLatency;
  /** 2xx responses per second over the measured run. */
  requestsPerSecond: number;
}

/** IPC messages (when measure.ts starts load.ts with an IPC channel). */
export interface ChildMessage {
  type: 'ready';
}
export interface ParentMessage {
  type: 'go';
}

/** An IPC message arrives as whatever the other side sent: checked, not trusted. */
export function isMessage(message: unknown, type: (ChildMessage | ParentMessage)['type']): boolean {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === type;
}

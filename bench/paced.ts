// Steady readers: requests sent at evenly spaced moments (an open loop, as
// wrk2 does), not in bursts. autocannon's rate lets every connection send its
// share of a second back to back at the start of that second, so 500 req/s
// from 50 connections arrive as one burst a second: a reader's latency and
// the server's event-loop delay then measure the burst, not the server.
// Each latency is timed from the moment its request was due, so a server
// that falls behind is charged for the wait too.
import http from 'node:http';
import { randomElement } from './lists.js';
import type { LoadCounts, LoadSpec } from './protocol.js';

/** How often the sender wakes to send what is due (ms). */
const TICK_MS = 1;

export function runPaced(
  spec: LoadSpec & { rate: number },
  duration: number,
  pick: () => string,
  onLatency?: (ms: number) => void,
): Promise<LoadCounts> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const counts: LoadCounts = {
    connections: spec.connections,
    duration,
    '2xx': 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodeStats: {},
  };
  const total = Math.round(spec.rate * duration);
  const interval = 1000 / spec.rate;
  const timeoutMs = (spec.timeout ?? 10) * 1000;
  const body = spec.body ?? (spec.bodyBase64 !== undefined ? Buffer.from(spec.bodyBase64, 'base64') : undefined);
  let sent = 0;
  let finished = 0;

  return new Promise((resolve) => {
    const started = performance.now();
    const done = () => {
      finished += 1;
      if (finished === total) {
        agent.destroy();
        resolve({ ...counts, duration: (performance.now() - started) / 1000 });
      }
    };
    const send = (due: number) => {
      let settled = false;
      let timedOut = false;
      /** Counts one outcome per request: a status, a timeout or an error. */
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        done();
      };
      const request = http.request(
        new URL(pick(), spec.url),
        { method: spec.method ?? 'GET', headers: spec.headers, agent, timeout: timeoutMs },
        (response) => {
          response.resume();
          response.on('error', () => {
            settle(() => (counts.errors += 1));
          });
          response.on('end', () => {
            settle(() => {
              const status = response.statusCode ?? 0;
              const stats = (counts.statusCodeStats[String(status)] ??= { count: 0 });
              stats.count += 1;
              if (status < 200 || status > 299) {
                counts.non2xx += 1;
                return;
              }
              counts['2xx'] += 1;
              onLatency?.(performance.now() - due);
            });
          });
        },
      );
      request.on('timeout', () => {
        timedOut = true;
        request.destroy(new Error('timeout'));
      });
      request.on('error', () => {
        settle(() => (timedOut ? (counts.timeouts += 1) : (counts.errors += 1)));
      });
      request.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) send(started + sent++ * interval);
      if (sent < total) setTimeout(tick, TICK_MS);
    };
    tick();
  });
}

/** The chooser of a path: one of `paths` at random, or the one path. */
export function pathPicker(spec: LoadSpec, random: () => number): () => string {
  const { paths } = spec;
  if (paths && paths.length > 0) return () => randomElement(paths, random);
  const path = spec.path ?? '/';
  return () => path;
}

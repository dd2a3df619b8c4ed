// The bench's steady readers (bench/paced.ts): requests at evenly spaced
// moments, every one counted, latency timed from when it was due.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathPicker, runPaced } from '../../bench/paced.js';

const arrivals: number[] = [];
const paths: string[] = [];
const server = http.createServer((request, response) => {
  arrivals.push(performance.now());
  paths.push(request.url ?? '');
  response.statusCode = request.url === '/missing' ? 404 : 200;
  response.end('ok');
});
let origin = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the paced load generator', () => {
  it('sends rate × duration requests at evenly spaced moments, not in bursts', async () => {
    arrivals.length = 0;
    const latencies: number[] = [];
    const spec = { title: 'paced', url: origin, connections: 10, duration: 1, rate: 200, paths: ['/a', '/b'] };
    const counts = await runPaced(
      spec,
      1,
      pathPicker(spec, () => 0.7),
      (ms) => latencies.push(ms),
    );
    expect(counts['2xx']).toBe(200);
    expect(counts.non2xx + counts.errors + counts.timeouts).toBe(0);
    expect(latencies).toHaveLength(200);
    expect(paths.slice(-200).every((path) => path === '/b')).toBe(true);
    // 5 ms apart on average, over the whole second: a burst would put them all in its first tenth. The
    // bounds leave room for a busy machine's late timers.
    const window = 100;
    let most = 0;
    for (const [i, at] of arrivals.entries()) {
      most = Math.max(most, arrivals.filter((t, j) => j >= i && t < at + window).length);
    }
    expect(most).toBeLessThanOrEqual(60);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(900);
    expect(counts.duration).toBeGreaterThan(0.9);
  });

  it('counts answers other than 2xx, and failed connections, apart', async () => {
    const missing = { title: 'paced', url: origin, connections: 2, duration: 0.1, rate: 100, path: '/missing' };
    const counts = await runPaced(missing, 0.1, pathPicker(missing, Math.random));
    expect([counts['2xx'], counts.non2xx, counts.statusCodeStats['404']?.count]).toEqual([0, 10, 10]);
    const closed = { ...missing, url: 'http://127.0.0.1:1' };
    expect((await runPaced(closed, 0.1, pathPicker(closed, Math.random))).errors).toBe(10);
  });
});

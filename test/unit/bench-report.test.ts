// The benchmark report: how several rounds of a scenario become one row, and
// how the targets and rounds are printed.
import { describe, expect, it } from 'vitest';
import { buildReport, combineRounds, type ScenarioResult } from '../../bench/report.js';

const run = (requestsPerSecond: number, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  id: 'page',
  name: 'GET /api/posts first page',
  target: 'blog',
  request: 'GET /api/posts',
  connections: 50,
  durationSeconds: 10,
  requestsPerSecond,
  p50: 1000 / requestsPerSecond,
  p99: 5000 / requestsPerSecond,
  requests: requestsPerSecond * 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodes: { '200': requestsPerSecond * 10 },
  peakRssBytes: 100 * 1024 * 1024,
  peakRssAnonBytes: 60 * 1024 * 1024,
  eventLoopP99: 5,
  eventLoopMax: 10,
  serverCpuMsPerRequest: 0.2,
  serverCores: (0.2 * requestsPerSecond) / 1000,
  ...extra,
});

describe('combining rounds', () => {
  it('one round is kept as it is', () => {
    const only = run(1000);
    expect(combineRounds([only])).toBe(only);
  });

  it('req/s, p50 and p99 are each the median over the rounds', () => {
    const combined = combineRounds([run(900, { p99: 30 }), run(1200, { p99: 10 }), run(1000, { p99: 20 })]);
    expect(combined.requestsPerSecond).toBe(1000);
    expect(combined.p50).toBe(1000 / 1000);
    expect(combined.p99).toBe(20);
    expect(combined.roundsRequestsPerSecond).toEqual([900, 1200, 1000]);
  });

  it('a load at a fixed rate: the typical latency, whatever the order of equal req/s', () => {
    const combined = combineRounds([run(500, { p99: 54 }), run(500, { p99: 18 }), run(500, { p99: 20 })]);
    expect(combined.p99).toBe(20);
  });

  it('with an even count, the lower middle value', () => {
    expect(combineRounds([run(1200), run(900)]).requestsPerSecond).toBe(900);
  });

  it('errors add up; memory and event-loop delay are the worst round', () => {
    const combined = combineRounds([
      run(1000, {
        non2xx: 2,
        statusCodes: { '200': 9998, '500': 2 },
        peakRssBytes: 150 * 2 ** 20,
        peakRssAnonBytes: 90 * 2 ** 20,
      }),
      run(1100, { timeouts: 1, eventLoopP99: 19, eventLoopMax: 40 }),
      run(1050, { errors: 3 }),
    ]);
    expect([combined.non2xx, combined.errors, combined.timeouts]).toEqual([2, 3, 1]);
    expect(combined.requests).toBe(10000 + 11000 + 10500);
    expect(combined.statusCodes).toEqual({ '200': 9998 + 11000 + 10500, '500': 2 });
    expect([combined.peakRssBytes, combined.peakRssAnonBytes]).toEqual([150 * 2 ** 20, 90 * 2 ** 20]);
    expect([combined.eventLoopP99, combined.eventLoopMax]).toEqual([19, 40]);
  });
});

describe('the report', () => {
  const report = (scenarios: ScenarioResult[], repeat: number) =>
    buildReport({
      startedAt: new Date('2026-11-28T12:00:00Z'),
      finishedAt: new Date('2026-11-28T12:05:00Z'),
      loadAverageAtStart: [0.1, 0.1, 0.1],
      version: 'commit abc1234',
      dataset: { users: 1000, posts: 100_000, dbBytes: 150 * 2 ** 20, seedSeconds: 3 },
      settings: {
        duration: 10,
        warmup: 2,
        readConnections: 50,
        authConnections: 8,
        mixed: 'readers + logins + uploads',
        repeat,
      },
      identity: [{ what: 'first page', identical: true, detail: '' }],
      scenarios,
      targets: [{ name: 'page vs floor', measured: '0.75x', limit: '>= 0.7x', pass: true }],
      notes: ['a note'],
    });

  it('shows the median req/s with the range of the rounds, and the ratio to the floor', () => {
    const floor = { ...run(10_000), id: 'floor-page', name: 'floor page', target: 'floor' as const };
    const blog = { ...combineRounds([run(7000), run(7500), run(8000)]), floorRef: 'floor-page' };
    const markdown = report([floor, blog], 3);
    expect(markdown).toContain('3 rounds of every scenario, interleaved');
    expect(markdown).toMatch(
      /\| GET \/api\/posts first page \| `GET \/api\/posts` \| 50 \| 7500 \(7000–8000\) \|.*\| 0\.75x \| 1\.33x \|/,
    );
    expect(markdown).toContain('| *floor page* | `GET /api/posts` | 50 | 10000 |');
    expect(markdown).toContain('| page vs floor | 0.75x | >= 0.7x | PASS |');
  });

  it("shows the server's CPU per answer and in cores; only the cores for a part of a mixed run", () => {
    const mixedPart = run(500, {
      id: 'mixed-readers',
      name: 'mixed: readers',
      serverCpuMsPerRequest: null,
      serverCores: 1.5,
    });
    const markdown = report([run(5000), mixedPart], 1);
    expect(markdown).toContain('| 0.20 ms/req, 1.00 cores |');
    expect(markdown).toContain('| 1.50 cores |');
  });

  it('the CPU figures of several rounds are their medians', () => {
    const combined = combineRounds([
      run(1000, { serverCpuMsPerRequest: 0.3 }),
      run(1000, { serverCpuMsPerRequest: 0.1 }),
      run(1000, { serverCpuMsPerRequest: 0.2 }),
    ]);
    expect(combined.serverCpuMsPerRequest).toBe(0.2);
    expect(combineRounds([run(10, { serverCores: null }), run(10, { serverCores: null })]).serverCores).toBeNull();
  });

  it('a single round prints plain figures', () => {
    const markdown = report([run(7000)], 1);
    expect(markdown).not.toContain('rounds of every scenario');
    expect(markdown).toContain('| 50 | 7000 | ');
  });
});

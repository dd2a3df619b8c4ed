// A read shared within one turn of the event loop (src/db/per-turn.ts):
// the revision every conditional request needs is read once for all the
// requests of a turn, afresh in the next turn and after this process wrote.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { perTurn } from '../../src/db/per-turn.js';

function countingRead() {
  let reads = 0;
  const read = perTurn(() => {
    reads += 1;
    return Promise.resolve(reads);
  });
  return { read, reads: () => reads };
}

describe('perTurn', () => {
  it('reads once for every caller of one turn, and again in the next', async () => {
    const { read, reads } = countingRead();
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    expect(reads()).toBe(1);
    await nextTurn();
    expect(await read()).toBe(2);
  });

  it('reads afresh within the turn once told to forget', async () => {
    const { read } = countingRead();
    expect(await read()).toBe(1);
    read.forget();
    expect(await read()).toBe(2);
    expect(await read()).toBe(2);
  });

  it('does not share a failed read: its caller gets the error, the next caller a new read', async () => {
    let calls = 0;
    const read = perTurn(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('database unavailable')) : Promise.resolve(calls);
    });
    await expect(read()).rejects.toThrow('database unavailable');
    expect(await read()).toBe(2);
  });
});

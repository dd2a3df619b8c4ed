// createRevisionCache (src/shared/revision-cache.ts): what feeds, sitemaps
// and searches keep between changes to the posts.
import { describe, expect, it } from 'vitest';
import { createRevisionCache } from '../../src/shared/revision-cache.js';

function counted<Value>(value: Value) {
  let builds = 0;
  return {
    build: () => {
      builds += 1;
      return Promise.resolve(value);
    },
    get builds() {
      return builds;
    },
  };
}

describe('createRevisionCache', () => {
  it('builds once per key and revision, and again once the revision moved', async () => {
    const cached = createRevisionCache<string>(10);
    const feed = counted('xml');
    expect(await cached('feed', '1', feed.build)).toBe('xml');
    expect(await cached('feed', '1', feed.build)).toBe('xml');
    expect(feed.builds).toBe(1);
    await cached('feed', '2', feed.build);
    expect(feed.builds).toBe(2);
  });

  it('shares one build among the requests that miss together', async () => {
    const cached = createRevisionCache<number>(10);
    let builds = 0;
    let finish: (value: number) => void = () => undefined;
    const build = () => {
      builds += 1;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const waiting = Array.from({ length: 5 }, () => cached('search', '7', build));
    finish(42);
    expect(await Promise.all(waiting)).toEqual([42, 42, 42, 42, 42]);
    expect(builds).toBe(1);
  });

  it('keeps no failed build: the next request tries again', async () => {
    const cached = createRevisionCache<string>(10);
    await expect(cached('sitemap', '1', () => Promise.reject(new Error('database gone')))).rejects.toThrow(
      'database gone',
    );
    expect(await cached('sitemap', '1', () => Promise.resolve('ok'))).toBe('ok');
  });

  it('keeps at most max keys, dropping the one used longest ago', async () => {
    const cached = createRevisionCache<string>(2);
    const a = counted('a');
    const b = counted('b');
    const c = counted('c');
    await cached('a', '1', a.build);
    await cached('b', '1', b.build);
    await cached('a', '1', a.build); // a is now the most recently used
    await cached('c', '1', c.build); // b goes
    await cached('a', '1', a.build);
    await cached('b', '1', b.build);
    expect([a.builds, b.builds, c.builds]).toEqual([1, 2, 1]);
  });
});

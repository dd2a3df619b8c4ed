// Posts' Markdown rendered to safe HTML (render.ts). A long post takes tens
// of milliseconds (100,000 characters: about 25 ms to render and sanitise),
// so anything but a short one is rendered on a worker thread, within the
// same limit as the other heavy work; a short one costs less than the trip.
import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { heavyWork } from '../heavy-work/index.js';
import { renderMarkdown } from './render.js';

export { RENDERER_VERSION, renderMarkdown } from './render.js';
export { EXTERNAL_LINK_REL } from './policy.js';

/** Up to this many characters a post is rendered on the event loop (well under a millisecond). */
const INLINE_LIMIT = 4_000;

// From the sources (tests, npm run dev) the worker is TypeScript, loaded through tsx.
const fromSources = import.meta.url.endsWith('.ts');
const WORKER = new URL(fromSources ? './worker-from-sources.mjs' : './worker.js', import.meta.url).href;

export function createMarkdownRenderer(origin: string) {
  let pool: Tinypool | undefined;
  return {
    async render(source: string): Promise<string> {
      if (source.length <= INLINE_LIMIT) return renderMarkdown(source, origin);
      pool ??= new Tinypool({
        filename: WORKER,
        minThreads: 0,
        maxThreads: availableParallelism(), // within heavyWork's limit
        idleTimeout: 30_000,
      });
      const active = pool;
      return heavyWork(() => active.run({ source, origin }) as Promise<string>);
    },
    async close(): Promise<void> {
      await pool?.destroy();
    },
  };
}

export type MarkdownRenderer = ReturnType<typeof createMarkdownRenderer>;

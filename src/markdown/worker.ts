// The renderer on a worker thread (see index.ts): long posts are rendered here,
// off the event loop, at the low priority of all heavy work.
import { lowerThisThread } from '../heavy-work/index.js';
import { renderMarkdown } from './render.js';

lowerThisThread();

export default function render(job: { source: string; origin: string }): string {
  return renderMarkdown(job.source, job.origin);
}

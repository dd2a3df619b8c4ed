// The renderer on a worker thread (see index.ts): long posts are rendered here, off the event loop.
import { renderMarkdown } from './render.js';

export default function render(job: { source: string; origin: string }): string {
  return renderMarkdown(job.source, job.origin);
}

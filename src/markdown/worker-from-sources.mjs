// The worker of index.ts when the app runs from its TypeScript sources (tests,
// npm run dev): Node 20 does not pass --import tsx on to a worker thread, so
// the thread registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const { default: render } = await import('./worker.ts');
export default render;

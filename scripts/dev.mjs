// npm run dev: rebuilds the browser bundle and restarts the server on change.
import { spawn } from 'node:child_process';

const children = [
  spawn(process.execPath, ['scripts/build-client.mjs', '--watch'], { stdio: 'inherit' }),
  // The server reads the manifest of the built assets at start, so a rebuild
  // of client/ (new hashed names) restarts it as a change of src/ does.
  spawn(
    process.execPath,
    ['--import', 'tsx', '--watch-path=src', '--watch-path=public/build/manifest.json', 'src/server.ts'],
    { stdio: 'inherit' },
  ),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

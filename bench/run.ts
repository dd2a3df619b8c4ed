// `npm run bench`: builds the blog, seeds a fresh database, starts the
// production server and the floor (bench/floor.ts), drives both with
// autocannon from separate processes (bench/load.ts), and writes
// bench/results/YYYY-MM-DD.md. See bench/README.md for the knobs.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeedSummary } from './dataset.js';
import { methodNotes, workersNote } from './notes.js';
import { cleanup, freePort, removeAtCleanup, stop, wasInterrupted, type Server } from './processes.js';
import { buildReport, writeReport, type ReportInput, type ScenarioResult } from './report.js';
import { compareWithFloor, prepareWrites, requestSets } from './requests.js';
import { runMixed, runRounds } from './rounds.js';
import { mixedScenarios, readScenarios, workerScenarios, writeScenarios, type Scenario } from './scenarios.js';
import { blogEnvironment, build, restartWithWorkers, seed, sourceVersion, startBlog, startFloor } from './servers.js';
import { log, mixedDescription, RESULTS_DIR, ROOT, selected, settings } from './settings.js';
import { errorCount, targetsOf } from './targets.js';

/** Page, post and home again against the blog with WORKERS=n; the single-process blog is gone after this. */
async function measureWorkers(blog: Server, env: NodeJS.ProcessEnv, reads: Scenario[], notes: string[]) {
  const workers = await restartWithWorkers(blog, env);
  const results = await runRounds(workerScenarios(workers, reads));
  await stop(workers.child, 10_000);
  notes.push(workersNote(settings.workers));
  return results;
}

/** What the report says of the run as a whole. */
interface Run {
  startedAt: Date;
  loadAverageAtStart: number[];
  version: string;
  notes: string[];
}

/** What setUp leaves running, and the database it seeded. */
interface Prepared {
  seeded: SeedSummary;
  blogEnv: NodeJS.ProcessEnv;
  blog: Server;
  floor: Server;
}

/** The build, a seeded database in a temporary DATA_DIR, the blog and the floor. */
async function setUp(run: Run): Promise<Prepared> {
  await build();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fastblog-bench-'));
  if (!settings.keepData) removeAtCleanup(dataDir);
  const dbFile = path.join(dataDir, 'blog.db');
  const seeded = await seed(dbFile);
  const [blogPort, floorPort] = [await freePort(), await freePort()];
  const blogEnv = blogEnvironment(dataDir, dbFile, blogPort);
  const blog = await startBlog(blogEnv, blogPort, run.startedAt, run.notes);
  const floor = await startFloor(dbFile, floorPort);
  return { seeded, blogEnv, blog, floor };
}

/** Every selected scenario, in table order. */
async function measureAll(run: Run, { blogEnv, blog, floor }: Prepared) {
  const sets = requestSets();
  if (sets.deepSkip !== settings.deepSkip) {
    run.notes.push(`Deep page uses skip=${sets.deepSkip} (only ${settings.posts} posts were seeded).`);
  }
  const identity = await compareWithFloor(blog, floor, sets);
  // Reads first, so their memory is of reading alone; the writers' accounts are made after them.
  const reads = readScenarios(floor, blog, sets);
  const results: ScenarioResult[] = await runRounds(reads);
  const writes = await prepareWrites(blog, run.notes);
  results.push(...(await runRounds(writeScenarios(blog, sets, writes))));
  for (const parts of mixedScenarios(blog, sets, writes)) {
    const id = parts[0]?.base.id.replace(/-readers$/, '') ?? '';
    if (selected(id)) results.push(...(await runMixed(blog, parts)));
  }
  if (settings.workers > 1) results.push(...(await measureWorkers(blog, blogEnv, reads, run.notes)));
  return { identity, results };
}

/** Targets and notes; the report printed and written to bench/results/. */
async function publish(run: Run, seeded: SeedSummary, identity: ReportInput['identity'], results: ScenarioResult[]) {
  const targets = targetsOf(results, identity, settings.workers);
  run.notes.push(...methodNotes(run.loadAverageAtStart));
  const markdown = buildReport({
    startedAt: run.startedAt,
    finishedAt: new Date(),
    loadAverageAtStart: run.loadAverageAtStart,
    version: run.version,
    dataset: { users: seeded.users, posts: seeded.posts, dbBytes: seeded.bytes, seedSeconds: seeded.seconds },
    settings: {
      duration: settings.duration,
      warmup: settings.warmup,
      readConnections: settings.readConnections,
      authConnections: settings.authConnections,
      repeat: settings.repeat,
      mixed: mixedDescription,
    },
    identity,
    scenarios: results,
    targets,
    notes: run.notes,
  });
  const file = writeReport(markdown, RESULTS_DIR, run.startedAt, settings.name);
  await cleanup();
  process.stdout.write(`${markdown}\n`);
  log(`written to ${path.relative(ROOT, file)}`);
}

/** Exit code 0, or 2 when some scenario had errors: its numbers are not trustworthy. */
async function main(): Promise<number> {
  const run: Run = { startedAt: new Date(), loadAverageAtStart: os.loadavg(), version: sourceVersion(), notes: [] };
  const servers = await setUp(run);
  const { identity, results } = await measureAll(run, servers);
  await publish(run, servers.seeded, identity, results);
  return results.some((s) => errorCount(s) > 0) ? 2 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!wasInterrupted()) log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanup();
  process.exitCode = 1;
}

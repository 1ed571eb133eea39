/**
 * `npm run chaos`: the fault suite. Drives the real stack (Temporal dev server with a database file,
 * its own embedded Postgres, the Gmail and Graph sandboxes, the API and the worker as child processes)
 * with mail flowing both ways through each fault of the matrix, and counts what was lost, stored twice
 * or sent twice. Prints a table and writes chaos-report.json at the repository root.
 *
 * Exit code: 0 when nothing was lost, duplicated, sent twice or shown failed after going out, and every
 * iteration ran; 1 otherwise (0 with --report-only); 2 when the suite itself could not run; 64 on bad usage.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cleanup } from './chaos/cleanup';
import { FAULTS } from './chaos/faults';
import { parseOptions, USAGE, UsageError } from './chaos/options';
import { formatTable, hasFindings, writeReport } from './chaos/report';
import { runFault, type FaultRow } from './chaos/runner';
import { startChaosStack } from './chaos/stack';
import { TIMERS, WAITS } from './chaos/timers';

const REPORT_FILE = path.resolve(__dirname, '../chaos-report.json');
const log = (line: string) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return 64;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.list) {
    for (const f of FAULTS) process.stdout.write(`${f.name.padEnd(32)} ${f.summary}\n`);
    return 0;
  }
  const unknown = options.only.filter((name) => !FAULTS.some((f) => f.name === name));
  if (unknown.length) {
    process.stderr.write(`unknown fault ${unknown.join(', ')}; --list shows the names\n`);
    return 64;
  }
  const faults = options.only.length ? FAULTS.filter((f) => options.only.includes(f.name)) : FAULTS;

  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-chaos-'));
  const cleanup = new Cleanup(dir, log, options.keep);
  const stop = async (code: number, why: string) => {
    log(`${why}: stopping everything`);
    await cleanup.runAll();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(130, 'interrupted'));
  process.once('SIGTERM', () => void stop(143, 'terminated'));
  // A bound on the whole run, so a hung fault cannot keep processes alive forever.
  const budgetMs = 10 * 60_000 + faults.length * options.iterations * 4 * 60_000;
  const watchdog = setTimeout(() => void stop(2, `the run exceeded its ${Math.round(budgetMs / 60_000)} min budget`), budgetMs);

  try {
    log(`${faults.length} faults x ${options.iterations} iteration(s); temp dir ${dir}`);
    const stack = await startChaosStack(dir, cleanup, log);
    const rows: FaultRow[] = [];
    for (const fault of faults) rows.push(await runFault(stack, fault, options.iterations));
    const wallTimeMs = Date.now() - started;
    writeReport(REPORT_FILE, {
      rows, workerRssMaxMb: stack.rss.maxMb, startedAt: new Date(started).toISOString(), wallTimeMs,
      quick: options.quick, iterationsPerFault: options.iterations, timers: TIMERS, waits: WAITS,
    });
    process.stdout.write(`\n${formatTable(rows)}\n\nworker RSS max ${stack.rss.maxMb} MB; wall time ${Math.round(wallTimeMs / 1000)} s; report ${REPORT_FILE}\n`);
    const findings = hasFindings(rows);
    if (findings) log(options.reportOnly ? 'findings above (--report-only: exit 0)' : 'findings above: exit 1 (--report-only exits 0)');
    return findings && !options.reportOnly ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await cleanup.runAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[chaos] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);

/** Command line of `npm run chaos`. */
export interface ChaosOptions {
  quick: boolean;
  /** Iterations per fault (default 10, 1 with --quick). */
  iterations: number;
  /** Only these faults (repeat --only, or comma-separate). */
  only: string[];
  /** Exit 0 whatever the counts (the default exits 1 on any lost, duplicated or doubled message). */
  reportOnly: boolean;
  /** Keep the temp dir (logs of the API, the worker, Temporal and Postgres) after the run. */
  keep: boolean;
}

export const USAGE = `npm run chaos -- [--quick] [--only <fault>[,<fault>]] [--iterations N] [--report-only] [--keep]
  --quick         one iteration per fault (the default is 10)
  --only F        run only fault F (repeatable, or comma-separated); --list shows the names
  --iterations N  iterations per fault
  --report-only   exit 0 even when a message was lost, duplicated or sent twice
  --keep          keep the temp dir with the logs of every process
  --list          print the fault names and exit`;

export class UsageError extends Error {}

export function parseOptions(argv: string[]): ChaosOptions & { list: boolean; help: boolean } {
  const options = { quick: false, iterations: 0, only: [] as string[], reportOnly: false, keep: false, list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--report-only') options.reportOnly = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--only') options.only.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
    else if (arg === '--iterations') {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--iterations must be a positive whole number, got "${raw}"`);
      options.iterations = n;
    } else throw new UsageError(`unknown option ${arg}`);
  }
  if (options.iterations === 0) options.iterations = options.quick ? 1 : 10;
  return options;
}

import { buildTemporalCli, findTemporalCli } from '../src/temporal/cli';

/** `npm run temporal:build`: finds the Temporal CLI or builds it from the Go module proxy, and prints its path. */
function main(): void {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const found = findTemporalCli();
  if (found) {
    log(`Temporal CLI (${found.source}): ${found.path}`);
    return;
  }
  const built = buildTemporalCli(process.env, log);
  log(`Temporal CLI built: ${built}`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`temporal:build: ${(err as Error).message}\n`);
  process.exit(1);
}

/**
 * `npm run histories:record`: re-records the current corpus, test/histories/*.json, from a run of the
 * end-to-end tests. The release corpora under test/histories/releases/ are frozen and left alone.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(__dirname, '../test/histories');
for (const file of readdirSync(dir)) if (file.endsWith('.json')) rmSync(path.join(dir, file));
const run = spawnSync('npx', ['vitest', 'run', '--project', 'integration', 'test/e2e', 'test/workflows'], {
  stdio: 'inherit',
  env: { ...process.env, MAILSYNC_RECORD_HISTORIES: '1' },
});
process.stdout.write(`recorded ${readdirSync(dir).filter((f) => f.endsWith('.json')).length} histories in test/histories\n`);
process.exit(run.status ?? 1);

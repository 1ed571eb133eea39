/**
 * `npm run build`: the production build. Compiles src/ to dist/ (tsconfig.build.json) and bundles the
 * workflow code once into dist/workflow-bundle.js, which `npm run start:worker` (node dist/worker.js)
 * loads instead of bundling at start.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../src/worker';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  process.stdout.write('build: compiling src/ to dist/ (tsc -p tsconfig.build.json)\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.stdout.write('build: bundling the workflow code\n');
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  writeFileSync(path.join(dist, 'workflow-bundle.js'), bundle.code);
  process.stdout.write(`build: done (dist/, dist/workflow-bundle.js ${(bundle.code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/**
 * `npm run histories:release`: freezes the current corpus (test/histories/*.json, recorded from this code
 * by `npm run histories:record`) as the corpus of the release in package.json, under
 * test/histories/releases/<version>/. The replay test replays every release's corpus from then on, so
 * the next release's code must still replay what this one recorded. Run it when the release is cut.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const current = path.join(root, 'test/histories');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const target = path.join(current, 'releases', version);

const files = readdirSync(current).filter((f) => f.endsWith('.json'));
if (files.length === 0) {
  process.stderr.write('histories:release: test/histories/ holds no recorded histories; run `npm run histories:record` first\n');
  process.exit(1);
}
if (existsSync(target) && readdirSync(target).length > 0) {
  process.stderr.write(`histories:release: ${path.relative(root, target)} exists already: a release's corpus is frozen (bump the version in package.json first)\n`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
for (const file of files) copyFileSync(path.join(current, file), path.join(target, file));
process.stdout.write(`froze ${files.length} histories as the corpus of release ${version} in ${path.relative(root, target)}\n`);

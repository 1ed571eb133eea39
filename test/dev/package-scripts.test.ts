import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The files an npm script runs (`tsx scripts/x.ts`, `node dist/x.js`); dist/ is built from src/. */
function filesRun(command: string): string[] {
  return [...command.matchAll(/\b(?:tsx|node)\s+(\S+\.[cm]?[jt]s)\b/g)].map(([, file]) =>
    file!.startsWith('dist/') ? file!.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts') : file!,
  );
}

describe('package.json scripts', () => {
  it('name files that exist', () => {
    const missing = Object.entries(scripts).flatMap(([name, command]) =>
      filesRun(command).filter((file) => !existsSync(path.join(ROOT, file))).map((file) => `${name}: ${file}`),
    );
    expect(missing).toEqual([]);
  });

  it('include the ones the README tells users to run', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const named = new Set([...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map(([, name]) => name!));
    expect([...named].filter((name) => !(name in scripts))).toEqual([]);
    expect(filesRun(scripts['temporal:dev']!)).toEqual(['scripts/temporal-dev.ts']);
  });
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RESULTS_FILE = path.resolve(__dirname, '../../bench/results.json');
export const IDLE_RESULTS_FILE = path.resolve(__dirname, '../../bench/idle-results.json');
export const CHART_FILE = path.resolve(__dirname, '../../bench/chart.svg');

export function readJson(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Each bench mode writes its own keys into results.json and keeps the others' (read, merge, write). */
export function mergeResults(patch: Record<string, unknown>, file = RESULTS_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...readJson(file), ...patch }, null, 2)}\n`);
}

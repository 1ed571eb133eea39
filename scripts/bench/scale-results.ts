import { RESULTS_FILE } from './results-file';
import type { LatencyBreakdown } from './scale-breakdown';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ScaleSeriesPoint {
  mailboxes: number;
  msgPerSec: number;
  p99Ms: number;
}

export interface ScaleResults {
  measuredAt: string;
  temporal: 'cluster' | 'dev';
  workers: number;
  mailboxes: number;
  connectPerSec: number;
  stormMessages: number;
  stormP50Ms: number;
  stormP99Ms: number;
  /** Where a lone delivery's time went (sampled from histories). */
  stormBreakdown: LatencyBreakdown;
  drainSeconds: number;
  workerRssMaxMb: number;
  pgConnections: number;
  pgConnectionsByDatabase: Record<string, number>;
  historyEventsPerMailbox: number;
  lost: number;
  duplicated: number;
  /** What was broken mid-storm. */
  faults: string[];
  /** One point per mailbox count measured so far (the chart's throughput and p99 against mailbox count). */
  series: ScaleSeriesPoint[];
}


/**
 * Read-modify-write of bench/results.json: other bench modes own other keys. A cluster run writes
 * `scale`, a dev-server run `scaleDev`; the series keeps one point per mailbox count, the newest.
 */
export function writeScaleResults(results: ScaleResults, log: (line: string) => void, file = RESULTS_FILE): void {
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const key = results.temporal === 'cluster' ? 'scale' : 'scaleDev';
  const earlier = ((all[key] as Partial<ScaleResults> | undefined)?.series ?? []).filter((p) => !results.series.some((q) => q.mailboxes === p.mailboxes));
  all[key] = { ...results, series: [...earlier, ...results.series].sort((a, b) => a.mailboxes - b.mailboxes) };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), file)} (${key})`);
}

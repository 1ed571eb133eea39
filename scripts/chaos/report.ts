import { writeFileSync } from 'node:fs';
import type { FaultRow } from './runner';
import type { TIMERS, WAITS } from './timers';

export interface ChaosReport {
  rows: FaultRow[];
  workerRssMaxMb: number;
  startedAt: string;
  wallTimeMs: number;
  quick: boolean;
  iterationsPerFault: number;
  timers: typeof TIMERS;
  waits: typeof WAITS;
}

/** Any lost, duplicated or doubled message, a send shown failed that went out, a crashed process, or an iteration that could not run. */
export function hasFindings(rows: FaultRow[]): boolean {
  return rows.some((r) => r.lost > 0 || r.duplicated > 0 || r.doubled > 0 || r.falseFailures > 0 || r.crashes > 0 || r.errors > 0);
}

const COLUMNS: [string, (r: FaultRow) => string | number][] = [
  ['fault', (r) => r.fault],
  ['iter', (r) => (r.skipped ? 'skip' : r.iterations)],
  ['expected', (r) => r.expected],
  ['stored', (r) => r.stored],
  ['lost', (r) => r.lost],
  ['dup', (r) => r.duplicated],
  ['sends', (r) => r.sendsRequested],
  ['accepted', (r) => r.sendsAccepted],
  ['doubled', (r) => r.doubled],
  ['falseFail', (r) => r.falseFailures],
  ['failed', (r) => r.sendsFailed],
  ['pending', (r) => r.sendsPending],
  ['unexp', (r) => r.unexpected],
  ['crashes', (r) => r.crashes],
  ['errors', (r) => r.errors],
  ['lost pre-baseline', (r) => r.lostBeforeBaseline],
  ['lost: connect/fault/after', (r) => `${r.lostByPhase.connect}/${r.lostByPhase.fault}/${r.lostByPhase.after}`],
];

export function formatTable(rows: FaultRow[]): string {
  const cells = [COLUMNS.map(([name]) => name), ...rows.map((r) => COLUMNS.map(([, get]) => String(get(r))))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const out = [line(cells[0]!), rule, ...cells.slice(1).map(line)];
  for (const r of rows) if (r.skipped) out.push(`${r.fault}: skipped — ${r.skipped}`);
  return out.join('\n');
}

export function writeReport(file: string, report: ChaosReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * `npm run bench -- --chart` (and the end of `npm run bench`): bench/chart.svg from bench/results.json
 * and, if present, bench/idle-results.json. Draws what was measured and says "not measured" for the rest.
 */
import { writeFileSync } from 'node:fs';
import { buildChartSvg, type ChartData, type IdleBar, type ScalePoint } from './chart-svg';
import { CHART_FILE, IDLE_RESULTS_FILE, readJson, RESULTS_FILE } from './results-file';

interface IdleRun {
  mode: string;
  perDay: { timers: number; activities: number; workflowTasks: number; signals: number };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function scaleSeries(results: Record<string, unknown> | null): ScalePoint[] | null {
  const series = (results?.scale as { series?: unknown } | undefined)?.series;
  if (!Array.isArray(series)) return null;
  return series.filter((p): p is ScalePoint => isNumber(p?.mailboxes) && isNumber(p?.msgPerSec) && isNumber(p?.p99Ms));
}

/** The idle runs side by side (push on, off), counted as the idle target counts: timers, activities, workflow tasks and signals. */
function idleBars(results: Record<string, unknown> | null, idle: Record<string, unknown> | null): IdleBar[] | null {
  const runs = idle?.results;
  if (Array.isArray(runs)) {
    return (runs as IdleRun[]).map((r) => ({ label: r.mode, actionsPerDay: r.perDay.timers + r.perDay.activities + r.perDay.workflowTasks + r.perDay.signals }));
  }
  const perDay = (results?.idle as { actionsPerMailboxPerDay?: unknown } | undefined)?.actionsPerMailboxPerDay;
  return isNumber(perDay) ? [{ label: 'push on', actionsPerDay: perDay }] : null;
}

export function chartData(results: Record<string, unknown> | null, idle: Record<string, unknown> | null): ChartData {
  return {
    measuredAt: typeof results?.measuredAt === 'string' ? results.measuredAt : null,
    series: scaleSeries(results),
    idle: idleBars(results, idle),
    targets: { stormP99Ms: 2000, idleActionsPerDay: 30 },
  };
}

export function writeChart(log: (line: string) => void): void {
  writeFileSync(CHART_FILE, buildChartSvg(chartData(readJson(RESULTS_FILE), readJson(IDLE_RESULTS_FILE))));
  log('chart: bench/chart.svg');
}

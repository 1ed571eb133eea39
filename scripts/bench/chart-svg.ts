/**
 * The bench chart as a plain SVG string (pure: data in, text out). Three panels: throughput and p99
 * push→stored against mailbox count (the scale run's series), and Temporal actions per idle mailbox
 * per day with push on and off. A panel without data says "not measured" instead of drawing nothing.
 */
export interface ScalePoint {
  mailboxes: number;
  msgPerSec: number;
  p99Ms: number;
}

export interface IdleBar {
  label: string;
  actionsPerDay: number;
}

export interface ChartData {
  /** When the figures were measured, shown under the title. */
  measuredAt: string | null;
  series: ScalePoint[] | null;
  idle: IdleBar[] | null;
  /** Target lines: p99 during the storm (ms), idle actions per day. */
  targets: { stormP99Ms: number; idleActionsPerDay: number };
}

const WIDTH = 1000;
const HEIGHT = 360;
const PANEL = { width: 280, height: 220, top: 80, left: [60, 380, 700] as const };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Four significant digits at most, no trailing zeros: 442.5, 1450, 16.67. */
const fmt = (n: number) => String(Number(n.toPrecision(4)));

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}

interface Axes {
  x: (v: number) => number;
  y: (v: number) => number;
  body: string[];
}

/** Frame, ticks and labels of one panel; x on a log scale when the mailbox counts span more than 10×. */
function axes(left: number, title: string, xs: number[], yMax: number, yLabel: string): Axes {
  const { top, width, height } = PANEL;
  const bottom = top + height;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const log = xMin > 0 && xMax / xMin > 10;
  const span = (v: number) => (log ? (Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin) || 1) : xMax === xMin ? 0.5 : (v - xMin) / (xMax - xMin));
  const x = (v: number) => left + 10 + span(v) * (width - 20);
  const y = (v: number) => bottom - (v / yMax) * height;
  const body = [
    text(left, top - 14, title, 'font-weight="bold"'),
    `<line x1="${left}" y1="${bottom}" x2="${left + width}" y2="${bottom}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`,
    ...[0, 0.5, 1].map((f) => text(left - 6, y(yMax * f) + 4, fmt(yMax * f), 'text-anchor="end"')),
    ...xs.map((v) => text(x(v), bottom + 16, fmt(v), 'text-anchor="middle"')),
    text(left + width / 2, bottom + 34, 'mailboxes', 'text-anchor="middle"'),
    // Across the top of the plot, not turned beside the axis: there it ran into the panel to its left.
    text(left + 6, top + 4, yLabel, 'font-size="11" fill="#666"'),
  ];
  return { x, y, body };
}

function notMeasured(left: number, title: string, why: string): string {
  const { top, width, height } = PANEL;
  return [
    text(left, top - 14, title, 'font-weight="bold"'),
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#bbb" stroke-dasharray="4 4"/>`,
    text(left + width / 2, top + height / 2, 'not measured', 'text-anchor="middle" fill="#888" font-size="16"'),
    text(left + width / 2, top + height / 2 + 20, why, 'text-anchor="middle" fill="#888"'),
  ].join('\n');
}

function linePanel(left: number, title: string, series: ScalePoint[], value: (p: ScalePoint) => number, yLabel: string, target: number | null): string {
  const points = [...series].sort((a, b) => a.mailboxes - b.mailboxes);
  const yMax = niceMax(Math.max(...points.map(value), target ?? 0));
  const a = axes(left, title, points.map((p) => p.mailboxes), yMax, yLabel);
  const coords = points.map((p) => `${a.x(p.mailboxes).toFixed(1)},${a.y(value(p)).toFixed(1)}`);
  return [
    ...a.body,
    ...(target === null ? [] : [`<line x1="${left}" y1="${a.y(target).toFixed(1)}" x2="${left + PANEL.width}" y2="${a.y(target).toFixed(1)}" stroke="#c33" stroke-dasharray="6 3"/>`, text(left + PANEL.width - 2, a.y(target) - 4, `target ${fmt(target)}`, 'text-anchor="end" fill="#c33"')]),
    `<polyline fill="none" stroke="#2463b4" stroke-width="2" points="${coords.join(' ')}"/>`,
    ...points.map((p, i) => `<circle cx="${coords[i]!.split(',')[0]}" cy="${coords[i]!.split(',')[1]}" r="3.5" fill="#2463b4"><title>${escapeXml(`${p.mailboxes} mailboxes: ${fmt(value(p))}`)}</title></circle>`),
    ...points.map((p, i) => text(Number(coords[i]!.split(',')[0]), Number(coords[i]!.split(',')[1]) - 8, fmt(value(p)), 'text-anchor="middle" font-size="11"')),
  ].join('\n');
}

function idlePanel(left: number, bars: IdleBar[], target: number): string {
  const { top, width, height } = PANEL;
  const bottom = top + height;
  const yMax = niceMax(Math.max(...bars.map((b) => b.actionsPerDay), target));
  const y = (v: number) => bottom - (v / yMax) * height;
  const slot = width / bars.length;
  return [
    text(left, top - 14, 'Temporal actions per idle mailbox per day', 'font-weight="bold"'),
    `<line x1="${left}" y1="${bottom}" x2="${left + width}" y2="${bottom}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`,
    ...[0, 0.5, 1].map((f) => text(left - 6, y(yMax * f) + 4, fmt(yMax * f), 'text-anchor="end"')),
    `<line x1="${left}" y1="${y(target).toFixed(1)}" x2="${left + width}" y2="${y(target).toFixed(1)}" stroke="#c33" stroke-dasharray="6 3"/>`,
    ...bars.flatMap((b, i) => {
      const x = left + i * slot + slot * 0.2;
      return [
        `<rect x="${x.toFixed(1)}" y="${y(b.actionsPerDay).toFixed(1)}" width="${(slot * 0.6).toFixed(1)}" height="${(bottom - y(b.actionsPerDay)).toFixed(1)}" fill="#4a9a5b"/>`,
        text(x + slot * 0.3, y(b.actionsPerDay) - 6, fmt(b.actionsPerDay), 'text-anchor="middle"'),
        // A long label breaks before its parenthesis: "idle polling off" / "(5 min poll)".
        ...b.label.split(/ (?=\()/).map((line, n) => text(x + slot * 0.3, bottom + 16 + n * 14, line, 'text-anchor="middle" font-size="11"')),
      ];
    }),
    // After the bars, so a tall bar does not cover it.
    text(left + width - 2, y(target) - 4, `target ≤ ${fmt(target)}`, 'text-anchor="end" fill="#c33"'),
  ].join('\n');
}

export function buildChartSvg(data: ChartData): string {
  const series = data.series && data.series.length > 0 ? data.series : null;
  const idle = data.idle && data.idle.length > 0 ? data.idle : null;
  const [l1, l2, l3] = PANEL.left;
  const panels = [
    series ? linePanel(l1, 'Throughput against mailbox count', series, (p) => p.msgPerSec, 'messages per second', null) : notMeasured(l1, 'Throughput against mailbox count', 'no scale run in results.json'),
    // In seconds: storm p99s run to six digits in ms, wider than the room left of the axis.
    series ? linePanel(l2, 'p99 push→stored against mailbox count', series, (p) => p.p99Ms / 1000, 'p99 (s)', data.targets.stormP99Ms / 1000) : notMeasured(l2, 'p99 push→stored against mailbox count', 'no scale run in results.json'),
    idle ? idlePanel(l3, idle, data.targets.idleActionsPerDay) : notMeasured(l3, 'Temporal actions per idle mailbox per day', 'no idle run'),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    text(20, 26, 'mailsync bench', 'font-size="18" font-weight="bold"'),
    text(20, 46, data.measuredAt ? `bench/results.json, measured ${data.measuredAt}` : 'bench/results.json', 'fill="#666"'),
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

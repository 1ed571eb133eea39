import { describe, expect, it } from 'vitest';
import { buildChartSvg, escapeXml, niceMax, type ChartData } from './chart-svg';
import { chartData } from './chart';

const targets = { stormP99Ms: 2000, idleActionsPerDay: 30 };

describe('bench chart', () => {
  it('draws each scale point, in mailbox order, on both the throughput and the p99 panel', () => {
    const svg = buildChartSvg({
      measuredAt: '2026-11-29T12:00:00.000Z',
      series: [{ mailboxes: 10_000, msgPerSec: 180, p99Ms: 1450 }, { mailboxes: 100, msgPerSec: 95, p99Ms: 120 }],
      idle: [{ label: 'push on', actionsPerDay: 27 }, { label: 'push off', actionsPerDay: 442.5 }],
      targets,
    });
    const polylines = [...svg.matchAll(/<polyline[^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' ').length);
    expect(polylines).toEqual([2, 2]);
    for (const label of ['100 mailboxes: 95', '10000 mailboxes: 180', '100 mailboxes: 0.12', '10000 mailboxes: 1.45']) expect(svg).toContain(`<title>${label}</title>`);
    expect(svg).toContain('>442.5</text>');
    expect(svg).toContain('>push off</text>');
    expect(svg).toContain('target ≤ 30');
    expect(svg).toContain('>p99 (s)</text>');
    expect(svg).toContain('>target 2</text>');
    expect(svg).not.toContain('not measured');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('says "not measured" where results.json has no scale run or no idle figures', () => {
    const svg = buildChartSvg({ measuredAt: null, series: null, idle: [], targets });
    expect(svg.match(/>not measured</g)).toHaveLength(3);
    expect(svg).not.toContain('<polyline');
  });

  it('escapes the text it is given', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
    const svg = buildChartSvg({ measuredAt: '<now>', series: null, idle: [{ label: 'poll <5 min> & push', actionsPerDay: 3 }], targets });
    expect(svg).toContain('poll &lt;5 min&gt; &amp; push');
    expect(svg).toContain('measured &lt;now&gt;');
    expect(svg).not.toContain('<now>');
  });

  it('rounds an axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 27, 30, 442.5, 2000, 2001].map(niceMax)).toEqual([1, 0.5, 50, 50, 500, 2000, 5000]);
  });

  it('reads the scale series and both idle runs from the bench files', () => {
    const data: ChartData = chartData(
      { measuredAt: 'then', scale: { mailboxes: 10_000, series: [{ mailboxes: 10, msgPerSec: 5, p99Ms: 40 }, { mailboxes: 'x' }] } },
      { results: [{ mode: 'on', perDay: { timers: 3.5, activities: 9, workflowTasks: 13.5, signals: 1 } }] },
    );
    expect(data).toEqual({ measuredAt: 'then', series: [{ mailboxes: 10, msgPerSec: 5, p99Ms: 40 }], idle: [{ label: 'on', actionsPerDay: 27 }], targets });
    expect(chartData({ idle: { actionsPerMailboxPerDay: 12 } }, null).idle).toEqual([{ label: 'push on', actionsPerDay: 12 }]);
    expect(chartData(null, null)).toEqual({ measuredAt: null, series: null, idle: null, targets });
  });
});

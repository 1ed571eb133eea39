import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiMetrics, createWorkerMetrics } from './registry';

const unread = () => Promise.reject(new Error('not scraped in this test'));
const names = () => {
  const api = createApiMetrics({ countMailboxes: unread, syncLagBuckets: unread }, { processMetrics: true });
  const worker = createWorkerMetrics();
  return [...api.registry.getMetricsAsArray(), ...worker.registry.getMetricsAsArray()].map((m) => m.name);
};
const ours = (name: string) => !name.startsWith('mailsync_process_') && !name.startsWith('mailsync_nodejs_');

describe('metric definitions', () => {
  it('are all named mailsync_ and listed in the README', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const defined = names();
    expect(defined.filter((n) => !n.startsWith('mailsync_'))).toEqual([]);
    expect(defined.filter(ours).filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
  });

  it('cover every mailsync_ metric the Grafana dashboard queries', () => {
    const dashboard = readFileSync(path.resolve(__dirname, '../../deploy/grafana/mailsync.json'), 'utf8');
    const queried = new Set([...dashboard.matchAll(/\bmailsync_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')));
    const defined = new Set(names());
    expect([...queried].filter((n) => !defined.has(n))).toEqual([]);
    expect(names().filter(ours).filter((n) => !queried.has(n))).toEqual([]);
  });
});

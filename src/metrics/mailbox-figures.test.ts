import { describe, expect, it } from 'vitest';
import { lagHistogramValues, mailboxCounts } from './mailbox-figures';

describe('mailbox counts', () => {
  it('cover every provider and status, zero where no mailbox is', () => {
    const counts = mailboxCounts([
      { provider: 'gmail', status: 'active', count: 3 },
      { provider: 'outlook', status: 'needs_reauth', count: 1 },
    ]);
    expect(counts).toEqual([
      { provider: 'gmail', status: 'active', count: 3 },
      { provider: 'gmail', status: 'backing_off', count: 0 },
      { provider: 'gmail', status: 'needs_reauth', count: 0 },
      { provider: 'gmail', status: 'disconnected', count: 0 },
      { provider: 'outlook', status: 'active', count: 0 },
      { provider: 'outlook', status: 'backing_off', count: 0 },
      { provider: 'outlook', status: 'needs_reauth', count: 1 },
      { provider: 'outlook', status: 'disconnected', count: 0 },
    ]);
  });
});

describe('sync lag histogram', () => {
  it('turns width_bucket counts into cumulative buckets per provider, with sum and count', () => {
    const values = lagHistogramValues('lag', [10, 60], [
      { provider: 'gmail', bucket: 0, count: 2, sum: 9 },
      { provider: 'gmail', bucket: 1, count: 1, sum: 30 },
      { provider: 'gmail', bucket: 2, count: 1, sum: 600 },
    ]);
    expect(values).toEqual([
      { metricName: 'lag_bucket', labels: { le: 10, provider: 'gmail' }, value: 2 },
      { metricName: 'lag_bucket', labels: { le: 60, provider: 'gmail' }, value: 3 },
      { metricName: 'lag_bucket', labels: { le: '+Inf', provider: 'gmail' }, value: 4 },
      { metricName: 'lag_sum', labels: { provider: 'gmail' }, value: 639 },
      { metricName: 'lag_count', labels: { provider: 'gmail' }, value: 4 },
      { metricName: 'lag_bucket', labels: { le: 10, provider: 'outlook' }, value: 0 },
      { metricName: 'lag_bucket', labels: { le: 60, provider: 'outlook' }, value: 0 },
      { metricName: 'lag_bucket', labels: { le: '+Inf', provider: 'outlook' }, value: 0 },
      { metricName: 'lag_sum', labels: { provider: 'outlook' }, value: 0 },
      { metricName: 'lag_count', labels: { provider: 'outlook' }, value: 0 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { FaultQueue } from './faults';

describe('FaultQueue', () => {
  it('uses faults up in order, per account and method', () => {
    const q = new FaultQueue();
    q.add({ account: 'A@x.test', method: 'messages.get', status: 503, count: 2 });
    q.add({ status: 500 });
    expect(q.take('b@x.test', 'messages.get')).toEqual({ status: 500 });
    expect(q.take('a@x.test', 'messages.list')).toBeNull();
    expect(q.take('a@x.test', 'messages.get')).toEqual({ status: 503 });
    expect(q.take('a@x.test', 'messages.get')).toEqual({ status: 503 });
    expect(q.take('a@x.test', 'messages.get')).toBeNull();
  });

  it('gives a 429 a retry time, from a delay or a given time', () => {
    const q = new FaultQueue();
    q.add({ status: 429, retryAfterMs: 2_000 });
    q.add({ address: 'a@x.test', status: 429, retryAfter: '2030-01-01T00:00:00.000Z' });
    expect(q.take('b@x.test', 'watch', 10_000)).toEqual({ status: 429, retryAt: 12_000 });
    expect(q.take('a@x.test', 'watch', 10_000)).toEqual({ status: 429, retryAt: Date.parse('2030-01-01T00:00:00.000Z') });
  });

  it('keeps a fault on one message armed for every call on it, and only on it', () => {
    const q = new FaultQueue();
    q.add({ account: 'a@x.test', messageId: '18f0a1', status: 500 });
    expect(q.take('a@x.test', 'messages.get', 0, '18f0a2')).toBeNull();
    expect(q.take('a@x.test', 'messages.list', 0)).toBeNull();
    for (let i = 0; i < 5; i++) expect(q.take('a@x.test', 'messages.get', 0, '18f0a1')).toEqual({ status: 500 });
    q.add({ messageId: '18f0a3', status: 503, count: 1 });
    expect(q.take('b@x.test', 'messages.get', 0, '18f0a3')).toEqual({ status: 503 });
    expect(q.take('b@x.test', 'messages.get', 0, '18f0a3')).toBeNull();
  });

  it('keeps unnamed faults away from the token endpoint', () => {
    const q = new FaultQueue();
    q.add({ latencyMs: 5 });
    expect(q.take('a@x.test', 'oauth.token')).toBeNull();
    q.add({ method: 'oauth.token', status: 503, delayResponseMs: 10 });
    expect(q.take('a@x.test', 'oauth.token')).toEqual({ status: 503, delayResponseMs: 10 });
  });

  it('rejects nonsense specs', () => {
    const q = new FaultQueue();
    expect(() => q.add({ count: 0, status: 500 })).toThrow(/count/);
    expect(() => q.add({ status: 200 })).toThrow(/status/);
    expect(() => q.add({ status: 429, retryAfter: 'soon' })).toThrow(/retryAfter/);
  });
});

describe('faults with a probability', () => {
  it('fire on about that share of matching calls, and a count still limits them', () => {
    const queue = new FaultQueue();
    queue.add({ address: 'a@x.test', status: 503, probability: 0.2 });
    let hits = 0;
    for (let i = 0; i < 2000; i++) if (queue.take('a@x.test', 'messages.get')) hits++;
    expect(hits).toBeGreaterThan(300);
    expect(hits).toBeLessThan(500);
    const limited = new FaultQueue();
    limited.add({ address: 'a@x.test', status: 429, probability: 1, count: 2 });
    expect([1, 2, 3].map(() => limited.take('a@x.test', 'history.list')?.status ?? null)).toEqual([429, 429, null]);
  });
});

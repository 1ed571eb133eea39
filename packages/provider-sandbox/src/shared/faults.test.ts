import { describe, expect, it } from 'vitest';
import { Faults } from './faults';

describe('Faults', () => {
  it('uses faults up in order, per mailbox and operation', () => {
    const faults = new Faults();
    faults.add({ mailbox: 'A@x.test', operation: 'messages.get', status: 503, count: 2 });
    faults.add({ status: 500 });
    expect(faults.take('b@x.test', 'messages.get')).toEqual({ status: 500 });
    expect(faults.take('a@x.test', 'messages.list')).toBeNull();
    expect(faults.take('a@x.test', 'messages.get')).toEqual({ status: 503 });
    expect(faults.take('A@x.test', 'messages.get')).toEqual({ status: 503 });
    expect(faults.take('a@x.test', 'messages.get')).toBeNull();
  });

  it('matches every mailbox and operation when neither is given, also a call on no mailbox, and can be cleared', () => {
    const faults = new Faults();
    faults.add({ mailbox: '*', status: 429, count: 5, code: 'TooManyRequests' });
    expect(faults.take(null, 'messages.delta')).toEqual({ status: 429, code: 'TooManyRequests' });
    faults.clear();
    expect(faults.take('a@x.test', 'sendMail')).toBeNull();
  });

  it('gives the retry delay as given, or from a time', () => {
    const faults = new Faults();
    faults.add([{ status: 429, retryAfterMs: 2_000 }, { mailbox: 'a@x.test', status: 503, retryAt: new Date(25_000) }]);
    expect(faults.take('b@x.test', 'watch', [], 10_000)).toEqual({ status: 429, retryAfterMs: 2_000 });
    expect(faults.take('a@x.test', 'watch', [], 10_000)).toEqual({ status: 503, retryAfterMs: 15_000 });
  });

  it('keeps a fault on one message armed for every call on it, by any of its ids, and only on it', () => {
    const faults = new Faults();
    faults.add({ mailbox: 'a@x.test', messageId: 'AAkALg-immutable', status: 500 });
    expect(faults.take('a@x.test', 'messages.mime', ['AAMk-rest', 'AAkALg-other'])).toBeNull();
    expect(faults.take('a@x.test', 'messages.list')).toBeNull();
    for (let i = 0; i < 5; i++) expect(faults.take('a@x.test', 'messages.get', ['AAMk-rest', 'AAkALg-immutable'])).toEqual({ status: 500 });
    faults.add({ messageId: '18f0a3', status: 503, count: 1 });
    expect(faults.take('b@x.test', 'messages.get', ['18f0a3'])).toEqual({ status: 503 });
    expect(faults.take('b@x.test', 'messages.get', ['18f0a3'])).toBeNull();
  });

  it('keeps unnamed faults away from operations reached only by name', () => {
    const faults = new Faults(['oauth.token']);
    faults.add({ latencyMs: 5 });
    expect(faults.take('a@x.test', 'oauth.token')).toBeNull();
    faults.add({ operation: 'oauth.token', status: 503, delayResponseMs: 10 });
    expect(faults.take('a@x.test', 'oauth.token')).toEqual({ status: 503, delayResponseMs: 10 });
  });

  it('rejects nonsense specs, arming none of a list', () => {
    const faults = new Faults();
    expect(() => faults.add({ count: 0, status: 500 })).toThrow(/count/);
    expect(() => faults.add({ status: 200 })).toThrow(/status/);
    expect(() => faults.add({ status: 429, retryAt: 'soon' })).toThrow(/retryAt/);
    expect(() => faults.add({ probability: 2 })).toThrow(/probability/);
    expect(() => faults.add([{ status: 500 }, { status: 700 }])).toThrow(/status/);
    expect(faults.take('a@x.test', 'messages.get')).toBeNull();
  });

  it('fires a fault with a probability on about that share of matching calls, and a count still limits it', () => {
    const faults = new Faults();
    faults.add({ mailbox: 'a@x.test', status: 503, probability: 0.2 });
    let hits = 0;
    for (let i = 0; i < 2000; i++) if (faults.take('a@x.test', 'messages.get')) hits++;
    expect(hits).toBeGreaterThan(300);
    expect(hits).toBeLessThan(500);
    const limited = new Faults();
    limited.add({ mailbox: 'a@x.test', status: 429, probability: 1, count: 2 });
    expect([1, 2, 3].map(() => limited.take('a@x.test', 'history.list')?.status ?? null)).toEqual([429, 429, null]);
  });
});

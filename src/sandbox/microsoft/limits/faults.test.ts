import { describe, expect, it } from 'vitest';
import { FaultBook } from './faults';

describe('FaultBook', () => {
  it('applies a fault to the next N matching calls only', () => {
    const book = new FaultBook();
    book.add({ mailbox: 'Ann@x.test', route: 'messages.delta', count: 2, status: 503 });
    expect(book.take('ann@x.test', 'messages.get')).toBeNull();
    expect(book.take('bob@x.test', 'messages.delta')).toBeNull();
    expect(book.take('ann@x.test', 'messages.delta')?.status).toBe(503);
    expect(book.take('ann@x.test', 'messages.delta')?.status).toBe(503);
    expect(book.take('ann@x.test', 'messages.delta')).toBeNull();
  });

  it('keeps a fault on one message armed for every request on it, by either of its ids', () => {
    const book = new FaultBook();
    book.add({ mailbox: 'ann@x.test', messageId: 'AAkALg-immutable', status: 500 });
    expect(book.take('ann@x.test', 'messages.mime', ['AAMk-rest', 'AAkALg-other'])).toBeNull();
    for (let i = 0; i < 5; i++) expect(book.take('ann@x.test', 'messages.mime', ['AAMk-rest', 'AAkALg-immutable'])?.status).toBe(500);
    expect(book.take('ann@x.test', 'messages.delta')).toBeNull();
  });

  it('matches every mailbox and route when neither is given, and can be cleared', () => {
    const book = new FaultBook();
    book.add({ status: 429, retryAfter: 0.1, count: 5 });
    expect(book.take(null, 'token')?.retryAfter).toBe(0.1);
    book.clear();
    expect(book.take('a@x.test', 'sendMail')).toBeNull();
  });
});

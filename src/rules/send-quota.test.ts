import { describe, expect, test } from 'vitest';
import { checkSendQuota, sendTimesInWindow, type SendQuotaCheck } from './send-quota';

const NOW = '2026-03-02T12:00:00.000Z';
const hoursBefore = (h: number): string => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

describe('R16 checkSendQuota', () => {
  const cases: { name: string; sentAt: string[]; limit: number; expected: SendQuotaCheck }[] = [
    { name: 'R16: no sends yet leaves the whole limit', sentAt: [], limit: 500, expected: { ok: true, remaining: 500 } },
    {
      name: 'R16: sends older than 24 h do not count',
      sentAt: [hoursBefore(30), hoursBefore(24), hoursBefore(1)], limit: 2, expected: { ok: true, remaining: 1 },
    },
    {
      name: 'R16: at the limit the next send waits until the oldest send in the window is 24 h old',
      sentAt: [hoursBefore(1), hoursBefore(20), hoursBefore(5)], limit: 3,
      expected: { ok: false, code: 'SEND_LIMIT_REACHED', limit: 3, nextAllowedAt: '2026-03-02T16:00:00.000Z' },
    },
    {
      name: 'R16: over the limit (the limit was lowered) it waits until enough sends age out',
      sentAt: [hoursBefore(23), hoursBefore(22), hoursBefore(21), hoursBefore(2)], limit: 2,
      expected: { ok: false, code: 'SEND_LIMIT_REACHED', limit: 2, nextAllowedAt: '2026-03-02T15:00:00.000Z' },
    },
    {
      name: 'R16: a Workspace limit of 2000 is just a bigger number',
      sentAt: Array.from({ length: 600 }, (_, i) => hoursBefore(i / 30)), limit: 2000, expected: { ok: true, remaining: 1400 },
    },
    {
      name: 'R16: times in other offsets count as the instants they are',
      sentAt: ['2026-03-02T13:00:00+02:00'], limit: 1,
      expected: { ok: false, code: 'SEND_LIMIT_REACHED', limit: 1, nextAllowedAt: '2026-03-03T11:00:00.000Z' },
    },
  ];
  for (const { name, sentAt, limit, expected } of cases) {
    test(name, () => expect(checkSendQuota({ sentAt, limit, now: NOW })).toStrictEqual(expected));
  }

  test('R16: the window keeps only the last 24 h, oldest first, for the workflow state', () => {
    expect(sendTimesInWindow([hoursBefore(2), hoursBefore(25), hoursBefore(23)], NOW)).toStrictEqual([hoursBefore(23), hoursBefore(2)]);
  });

  test('R16: a limit that is not a positive integer is refused', () => {
    expect(() => checkSendQuota({ sentAt: [], limit: 0, now: NOW })).toThrow(RangeError);
  });
});

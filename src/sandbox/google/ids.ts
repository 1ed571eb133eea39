import { randomBytes, randomInt } from 'node:crypto';

/**
 * Gmail message ids are 16 hex digits whose high bits grow with time, so ids sort roughly by
 * arrival; the low 20 bits are random so two messages in the same millisecond differ.
 */
export function newGmailId(now: number = Date.now()): string {
  return ((BigInt(now) << 20n) | BigInt(randomInt(0, 1 << 20))).toString(16);
}

/** An opaque token with a recognisable prefix, like Google's `ya29.` access tokens. */
export function newToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** History ids grow with random gaps (never +1), so clients cannot assume consecutive ids. */
export function historyGap(): number {
  return randomInt(2, 64);
}

export function initialHistoryId(): number {
  return randomInt(100_000, 5_000_000);
}

/** A Message-ID in the shape Gmail gives messages that arrive without one. */
export function newRfcMessageId(): string {
  return `<CA${randomBytes(30).toString('base64url')}@mail.gmail.com>`;
}

/** Numeric subject ids, like Google account and service-account `sub` claims. */
export function newNumericId(): string {
  return `1${Array.from({ length: 20 }, () => randomInt(0, 10)).join('')}`;
}

import { randomBytes, randomInt } from 'node:crypto';

let sequence = 0;

/**
 * Gmail ids are 16 hex digits that grow with time (the millisecond clock in the high bits), so
 * the sandbox builds them the same way; the low bits keep ids made in the same millisecond apart.
 */
export function newMessageId(nowMs = Date.now()): string {
  sequence = (sequence + 1) % 0x100000;
  return ((BigInt(nowMs) << 20n) | BigInt(sequence)).toString(16);
}

export const isMessageIdShape = (id: string): boolean => /^[0-9a-f]{1,20}$/i.test(id);

/** History ids grow but are never consecutive (provider-facts 1.1), so clients cannot count on +1. */
export const historyGap = (): number => randomInt(2, 48);

export const initialHistoryId = (): number => randomInt(100_000, 900_000);

export const randomToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/** A decimal id like Google's numeric subject and Pub/Sub message ids. */
export const numericId = (digits = 21): string => {
  let out = String(randomInt(1, 10));
  while (out.length < digits) out += String(randomInt(0, 10));
  return out;
};

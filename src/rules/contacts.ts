import type { ContactFacts } from './types';
import { toMillis } from './time';

const DIGITS = /^\d+$/;

/**
 * Orders ids: all-digit ids first, by value (so `9` comes before `10`, as a CRM user reads them),
 * then the rest by code unit; equal numbers written differently also fall back to code unit. Never
 * by locale, so the order is total and the same on every worker.
 */
export function compareIds(a: string, b: string): number {
  const numericA = DIGITS.test(a);
  const numericB = DIGITS.test(b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  if (numericA) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** R9: of several contacts sharing an address, the earliest created wins; ties go to the lowest id. */
export function pickContact(contacts: readonly ContactFacts[]): ContactFacts | null {
  let best: ContactFacts | null = null;
  for (const contact of contacts) {
    if (best === null || compareContacts(contact, best) < 0) best = contact;
  }
  return best;
}

function compareContacts(a: ContactFacts, b: ContactFacts): number {
  const byTime = toMillis(a.createdAt, 'contact.createdAt') - toMillis(b.createdAt, 'contact.createdAt');
  return byTime !== 0 ? byTime : compareIds(a.id, b.id);
}

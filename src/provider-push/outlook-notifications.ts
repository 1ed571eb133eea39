import { createHash, timingSafeEqual } from 'node:crypto';

export interface GraphNotification {
  subscriptionId: string;
  clientState?: string;
  changeType?: string;
  resource?: string;
  lifecycleEvent?: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
}

/** clientState compared in constant time (both sides hashed to one length first). */
export function clientStateMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function parseNotifications(body: unknown): GraphNotification[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return [];
  return value.filter((n): n is GraphNotification => typeof (n as GraphNotification)?.subscriptionId === 'string');
}

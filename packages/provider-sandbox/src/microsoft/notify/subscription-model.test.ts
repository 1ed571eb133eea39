import { describe, expect, it } from 'vitest';
import { checkUrl, parseChangeTypes, parseExpiration, parseResource, SubscriptionError } from './subscription-model';

const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);

describe('subscription validation', () => {
  it('reads folder and mailbox resources in both path styles', () => {
    expect(parseResource("/me/mailFolders('Inbox')/messages")).toEqual({ mailbox: 'me', folderRef: 'Inbox' });
    expect(parseResource('users/ann@x.test/mailFolders/sentitems/messages')).toEqual({ mailbox: 'ann@x.test', folderRef: 'sentitems' });
    expect(parseResource('/me/messages')).toEqual({ mailbox: 'me', folderRef: null });
    expect(() => parseResource('/me/events')).toThrow(SubscriptionError);
  });

  it('caps the expiration at the given number of minutes', () => {
    const ok = new Date(NOW + 4230 * 60_000).toISOString();
    expect(parseExpiration(ok, 4230, NOW)).toBe(NOW + 4230 * 60_000);
    const tooFar = new Date(NOW + 4231 * 60_000).toISOString();
    expect(() => parseExpiration(tooFar, 4230, NOW)).toThrow('Subscription expiration can only be 4230 minutes in the future.');
    expect(() => parseExpiration(new Date(NOW - 1000).toISOString(), 4230, NOW)).toThrow(SubscriptionError);
  });

  it('accepts a comma list of change types only', () => {
    expect(parseChangeTypes('created, updated')).toEqual(['created', 'updated']);
    expect(() => parseChangeTypes('created,moved')).toThrow(SubscriptionError);
  });

  it('requires https except on loopback', () => {
    expect(checkUrl('http://127.0.0.1:9000/hook?x=1', 'notificationUrl')).toBe('http://127.0.0.1:9000/hook?x=1');
    expect(checkUrl('https://crm.example.com/hook', 'notificationUrl')).toBe('https://crm.example.com/hook');
    expect(() => checkUrl('http://crm.example.com/hook', 'notificationUrl')).toThrow('notificationUrl must use https.');
  });
});

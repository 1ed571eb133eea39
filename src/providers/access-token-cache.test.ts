import { describe, expect, it } from 'vitest';
import { createAccessTokenCache } from './access-token-cache';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createAccessTokenCache', () => {
  it('reuses a token until it is within the margin of expiry', () => {
    const c = clock();
    const cache = createAccessTokenCache({ now: c.now, marginMs: 60_000 });
    cache.put('acc', 'row1', { token: 'at1', expiresAt: c.now() + 3_600_000 });
    expect(cache.get('acc', 'row1')).toEqual({ token: 'at1', expiresAt: 1_000_000 + 3_600_000 });
    c.advance(3_600_000 - 60_001);
    expect(cache.get('acc', 'row1')?.token).toBe('at1');
    c.advance(1);
    expect(cache.get('acc', 'row1')).toBeNull();
  });

  it('gives no token for other credentials (new ones from the CRM) or another account', () => {
    const c = clock();
    const cache = createAccessTokenCache({ now: c.now });
    cache.put('acc', 'row1', { token: 'at1', expiresAt: c.now() + 3_600_000 });
    expect(cache.get('acc', 'row2')).toBeNull();
    expect(cache.get('other', 'row1')).toBeNull();
  });

  it('a new redemption replaces the token and the credentials it is valid for', () => {
    const c = clock();
    const cache = createAccessTokenCache({ now: c.now });
    cache.put('acc', 'row1', { token: 'at1', expiresAt: c.now() + 3_600_000 });
    cache.put('acc', 'row2', { token: 'at2', expiresAt: c.now() + 3_600_000 });
    expect(cache.get('acc', 'row1')).toBeNull();
    expect(cache.get('acc', 'row2')?.token).toBe('at2');
  });

  it('keeps at most maxAccounts, dropping the least recently redeemed', () => {
    const c = clock();
    const cache = createAccessTokenCache({ now: c.now, maxAccounts: 2 });
    for (const id of ['a', 'b', 'c']) cache.put(id, 'row', { token: `at-${id}`, expiresAt: c.now() + 3_600_000 });
    expect(cache.get('a', 'row')).toBeNull();
    expect(cache.get('b', 'row')?.token).toBe('at-b');
    expect(cache.get('c', 'row')?.token).toBe('at-c');
  });
});

describe('evict', () => {
  it('forgets the account token, so the next client redeems a fresh one', () => {
    const cache = createAccessTokenCache();
    cache.put('acc', 'row1', { token: 'at1', expiresAt: Date.now() + 3_600_000 });
    cache.put('other', 'row9', { token: 'at9', expiresAt: Date.now() + 3_600_000 });
    cache.evict('acc');
    expect(cache.get('acc', 'row1')).toBeNull();
    expect(cache.get('other', 'row9')?.token).toBe('at9');
  });
});

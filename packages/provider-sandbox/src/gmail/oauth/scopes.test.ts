import { describe, expect, it } from 'vitest';
import { scopeAllows } from './scopes';

const G = 'https://www.googleapis.com/auth/gmail.';

describe('scopeAllows', () => {
  it('lets gmail.modify read, send and relabel, but not delete for good', () => {
    const scope = `openid email ${G}modify`;
    expect(['messages.get', 'history.list', 'messages.send', 'messages.modify', 'watch'].every((m) => scopeAllows(scope, m as never))).toBe(true);
    expect(scopeAllows(scope, 'messages.delete')).toBe(false);
  });

  it('keeps send-only and read-only grants to their side', () => {
    expect(scopeAllows(`${G}send`, 'messages.send')).toBe(true);
    expect(scopeAllows(`${G}send`, 'messages.list')).toBe(false);
    expect(scopeAllows(`${G}readonly`, 'messages.send')).toBe(false);
  });

  it('gives full mail access everything, and email alone nothing', () => {
    expect(scopeAllows('https://mail.google.com/', 'messages.delete')).toBe(true);
    expect(scopeAllows('openid email', 'getProfile')).toBe(false);
  });
});

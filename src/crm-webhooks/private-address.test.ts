import { describe, expect, it } from 'vitest';
import { addressAllowed, classifyAddress } from './private-address';

describe('webhook target addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'], ['::1', 'loopback'], ['[::1]', 'loopback'], ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['169.254.169.254', 'private'],
    ['100.64.0.1', 'private'], ['0.0.0.0', 'private'], ['224.0.0.1', 'private'], ['::', 'private'], ['fd00::1', 'private'], ['fe80::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['8.8.8.8', 'public'], ['172.32.0.1', 'public'], ['93.184.216.34', 'public'], ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('allows loopback only when the policy says so, and private ranges only under `all`', () => {
    expect(['none', 'loopback', 'all'].map((p) => addressAllowed('loopback', p as never))).toEqual([false, true, true]);
    expect(['none', 'loopback', 'all'].map((p) => addressAllowed('private', p as never))).toEqual([false, false, true]);
    expect(['none', 'loopback', 'all'].map((p) => addressAllowed('public', p as never))).toEqual([true, true, true]);
  });
});

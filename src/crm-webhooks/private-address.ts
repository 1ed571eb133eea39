import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may be sent to. Pure: classifies an IP literal. Loopback and private,
 * link-local (cloud metadata at 169.254.169.254), shared, unspecified, multicast and reserved ranges
 * are never the CRM on the internet; sending there lets an API caller probe the network mailsync runs in.
 */
export type AddressKind = 'loopback' | 'private' | 'public';

/** MAILSYNC_WEBHOOK_ALLOW_PRIVATE: `none` (production), `loopback` (`npm run dev`, a receiver on the same machine), `all`. */
export type PrivateAddressPolicy = 'none' | 'loopback' | 'all';
export const PRIVATE_ADDRESS_POLICIES: readonly PrivateAddressPolicy[] = ['none', 'loopback', 'all'];

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const nonPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
] as const) nonPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) nonPublic.addSubnet(net, prefix, 'ipv6');

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function unmap(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function classifyAddress(raw: string): AddressKind {
  const address = unmap(raw.replace(/^\[|\]$/g, ''));
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (loopback.check(address, family)) return 'loopback';
  if (nonPublic.check(address, family)) return 'private';
  return 'public';
}

export function addressAllowed(kind: AddressKind, policy: PrivateAddressPolicy): boolean {
  return kind === 'public' || policy === 'all' || (kind === 'loopback' && policy === 'loopback');
}

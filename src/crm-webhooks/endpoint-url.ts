import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../domain-errors';
import { addressAllowed, classifyAddress, type PrivateAddressPolicy } from './private-address';

export type Resolve = (hostname: string) => Promise<string[]>;

export const resolveHost: Resolve = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

const refuse = (field: string, problem: string) => new DomainError('invalid_input', `${field} ${problem}`, { fields: [{ field, problem }] });

/**
 * A webhook URL mailsync will send to: http(s), no credentials in it, and every address its host
 * resolves to allowed by the policy. Checked when an endpoint is saved and again before each batch
 * (a name may be pointed elsewhere later). Throws `invalid_input` naming the field and what is wrong.
 */
export async function checkWebhookUrl(raw: string, policy: PrivateAddressPolicy, resolve: Resolve = resolveHost, field = 'body.url'): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(field, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(field, `must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw refuse(field, 'must not carry a user name or password (the payload is signed instead)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw refuse(field, `has a host that does not resolve (${host})`);
  }
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (!addressAllowed(kind, policy)) {
      throw refuse(field, `resolves to a ${kind} address (${address}); such targets are refused unless MAILSYNC_WEBHOOK_ALLOW_PRIVATE allows them`);
    }
  }
  return url;
}

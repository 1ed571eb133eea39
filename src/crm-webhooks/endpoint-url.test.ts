import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-errors';
import { checkWebhookUrl } from './endpoint-url';

const dns: Record<string, string[]> = { 'crm.example.com': ['93.184.216.34'], 'inside.example.com': ['93.184.216.34', '10.0.0.7'], localhost: ['127.0.0.1', '::1'] };
const resolve = async (host: string) => {
  const found = dns[host];
  if (!found) throw new Error('ENOTFOUND');
  return found;
};

async function problem(url: string, policy: 'none' | 'loopback' | 'all' = 'none'): Promise<string | null> {
  try {
    await checkWebhookUrl(url, policy, resolve);
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.message;
    throw err;
  }
}

describe('webhook URLs', () => {
  it('accepts http(s) to a public host', async () => {
    expect(await problem('https://crm.example.com/hooks')).toBeNull();
    expect(await problem('http://93.184.216.34:8080/hooks')).toBeNull();
  });

  it('refuses a name that resolves to a private address among public ones', async () => {
    expect(await problem('https://inside.example.com/hooks')).toBe('body.url resolves to a private address (10.0.0.7); such targets are refused unless MAILSYNC_WEBHOOK_ALLOW_PRIVATE allows them');
    expect(await problem('https://inside.example.com/hooks', 'all')).toBeNull();
  });

  it('allows localhost only when loopback is allowed', async () => {
    expect(await problem('http://localhost:4000/hooks')).toMatch(/^body\.url resolves to a loopback address \(127\.0\.0\.1\)/);
    expect(await problem('http://localhost:4000/hooks', 'loopback')).toBeNull();
    expect(await problem('http://[::1]:4000/hooks', 'loopback')).toBeNull();
    expect(await problem('http://10.0.0.1/hooks', 'loopback')).toMatch(/private address/);
  });

  it('names a scheme, credentials or a host that does not resolve', async () => {
    expect(await problem('ws://crm.example.com/hooks')).toBe('body.url must use http or https, not ws');
    expect(await problem('https://a:b@crm.example.com/hooks')).toMatch(/must not carry a user name or password/);
    expect(await problem('https://nowhere.example.com/hooks')).toBe('body.url has a host that does not resolve (nowhere.example.com)');
    expect(await problem('/relative')).toBe('body.url must be an absolute http(s) URL');
  });
});

import { InteractionRequiredAuthError, type TokenCache } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphFetchOptions } from '../src/microsoft/trust';
import { resolveConfig } from '../src/microsoft/config';
import { GRAPH_MAIL_SCOPES, sandboxMsalApp, startGraphSandbox, type GraphSandbox } from '../src/microsoft';

const MAX_AGE_MS = 3_000;
let sandbox: GraphSandbox;

beforeAll(async () => {
  sandbox = await startGraphSandbox({ port: 0, refreshTokenMaxAgeMs: MAX_AGE_MS });
});

afterAll(async () => {
  await sandbox.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The refresh token MSAL filed in its (one-account) cache. */
function refreshTokenIn(cache: TokenCache): string | null {
  const serialized = JSON.parse(cache.serialize()) as { RefreshToken?: Record<string, { secret: string }> };
  return Object.values(serialized.RefreshToken ?? {})[0]?.secret ?? null;
}

/**
 * Redeems a refresh token with a fresh MSAL app; returns the rotated one MSAL filed in its cache
 * (forceCache: an empty cache otherwise drops refresh-token responses).
 */
async function redeem(refreshToken: string): Promise<string> {
  const msal = sandboxMsalApp(sandbox);
  const result = await msal.acquireTokenByRefreshToken({ refreshToken, scopes: GRAPH_MAIL_SCOPES, forceCache: true });
  expect(result?.accessToken).toBeTruthy();
  const rotated = refreshTokenIn(msal.getTokenCache());
  if (!rotated) throw new Error('MSAL filed no refresh token');
  return rotated;
}

describe('Entra sandbox: refresh tokens rotate and age out', () => {
  it('returns a new refresh token on each redemption; each token is refused once older than the maximum age', async () => {
    const grant = await sandbox.control.createAccount('rota@auth.test');
    const first = await redeem(grant.refreshToken);
    expect(first).not.toBe(grant.refreshToken);
    // Entra does not revoke a redeemed token: it stays valid until its own age runs out.
    expect(await redeem(grant.refreshToken)).not.toBe(first);

    await sleep(MAX_AGE_MS * 0.6);
    const second = await redeem(first);
    expect(second).not.toBe(first);
    await sleep(MAX_AGE_MS * 0.6);

    const refused = await sandboxMsalApp(sandbox).acquireTokenByRefreshToken({ refreshToken: grant.refreshToken, scopes: GRAPH_MAIL_SCOPES }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InteractionRequiredAuthError);
    expect(refused).toMatchObject({ errorCode: 'invalid_grant', subError: 'bad_token' });
    expect((refused as Error).message).toMatch(/AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z and was inactive for 00:00:03\./);
    await expect(redeem(first)).rejects.toMatchObject({ errorCode: 'invalid_grant' });
    expect(await redeem(second)).not.toBe(second);
  });

  it('answers an aged-out refresh token with the body Entra sends (provider-facts 2.6)', async () => {
    const short = await startGraphSandbox({ port: 0, refreshTokenMaxAgeMs: 1 });
    try {
      const grant = await short.control.createAccount('rotb@auth.test');
      await sleep(5);
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken, client_id: short.clientId, client_secret: short.clientSecret, scope: GRAPH_MAIL_SCOPES.join(' ') });
      const res = await fetch(`${short.authority}/oauth2/v2.0/token`, { method: 'POST', body: form, ...(createGraphFetchOptions(short.caPem) as RequestInit) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'suberror', 'timestamp', 'trace_id']);
      expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [700082], suberror: 'bad_token', error_uri: `${short.origin}/error?code=700082` });
      expect(body.error_description).toMatch(/^AADSTS700082: .* was inactive for 00:00:00\.0010000\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: /);
    } finally {
      await short.close();
    }
  });

  it('keeps Entra’s 90 days by default', () => {
    expect(resolveConfig().refreshTokenMaxAgeMs).toBe(90 * 86_400_000);
  });
});

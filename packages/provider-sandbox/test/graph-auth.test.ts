import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CryptoProvider, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphFetchOptions, createMsalNetworkClient } from '../src/microsoft/trust';
import { connectSandboxAccount, GRAPH_MAIL_SCOPES, sandboxMsalApp, startGraphSandbox, type GraphSandbox } from '../src/microsoft';

const execFileAsync = promisify(execFile);
let sandbox: GraphSandbox;
const certDir = mkdtempSync(path.join(os.tmpdir(), 'mailsync-graph-ca-'));

beforeAll(async () => {
  sandbox = await startGraphSandbox({ certDir, port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

function getWithCa(url: string, ca: string): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

describe('Entra sandbox with the real MSAL', () => {
  it('refreshes a token through the per-client network module and Graph accepts it', async () => {
    const account = await connectSandboxAccount(sandbox, 'ann@auth.test');
    const result = await account.msal.acquireTokenByRefreshToken({ refreshToken: account.grant.refreshToken, scopes: GRAPH_MAIL_SCOPES });
    expect(result?.account?.username).toBe('ann@auth.test');
    expect(result?.idTokenClaims).toMatchObject({ tid: sandbox.tenant, oid: account.grant.userId, aud: sandbox.clientId });
    const me = await account.client.api('/me').get();
    expect(me).toEqual({ id: account.grant.userId, displayName: 'ann', mail: 'ann@auth.test', userPrincipalName: 'ann@auth.test' });
    // Two redemptions (ours above, the Graph client's own), one Graph request spent from the window.
    expect(await sandbox.control.counters('ann@auth.test')).toMatchObject({ mailbox: 'ann@auth.test', tokenRefreshes: 2, totalCalls: 1, quotaUnits: 1, rateLimited: 0 });
  });

  it('answers a revoked grant with invalid_grant / bad_token and cuts off its access tokens', async () => {
    const account = await connectSandboxAccount(sandbox, 'bob@auth.test');
    await account.client.api('/me').get();
    await sandbox.control.revoke('bob@auth.test');

    const refused = await sandboxMsalApp(sandbox).acquireTokenByRefreshToken({ refreshToken: account.grant.refreshToken, scopes: GRAPH_MAIL_SCOPES }).catch((e: unknown) => e);
    expect(refused instanceof InteractionRequiredAuthError || refused instanceof ServerError).toBe(true);
    expect(refused).toMatchObject({ errorCode: 'invalid_grant', subError: 'bad_token' });
    expect((refused as Error).message).toContain('AADSTS50173');

    const graphRefused = await account.client.api('/me').get().catch((e: unknown) => e);
    expect(graphRefused).toBeInstanceOf(GraphError);
    expect(graphRefused).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });

    const regranted = await connectSandboxAccount(sandbox, 'bob@auth.test');
    expect((await regranted.client.api('/me').get()).mail).toBe('bob@auth.test');
  });

  it('runs the authorization code flow with PKCE: login_hint auto-approves, MSAL redeems the code', async () => {
    await sandbox.control.createAccount('cy@auth.test');
    const msal = sandboxMsalApp(sandbox);
    const pkce = await new CryptoProvider().generatePkceCodes();
    const redirectUri = 'http://127.0.0.1:9/callback';
    const url = await msal.getAuthCodeUrl({ scopes: GRAPH_MAIL_SCOPES, redirectUri, loginHint: 'cy@auth.test', state: 'st-1', codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const answer = await getWithCa(url, sandbox.caPem);
    expect(answer.status).toBe(302);
    const location = new URL(answer.location ?? '');
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    const result = await msal.acquireTokenByCode({ code: location.searchParams.get('code') ?? '', scopes: GRAPH_MAIL_SCOPES, redirectUri, codeVerifier: pkce.verifier });
    expect(result.account?.username).toBe('cy@auth.test');

    const again = await msal.acquireTokenByCode({ code: location.searchParams.get('code') ?? '', scopes: GRAPH_MAIL_SCOPES, redirectUri, codeVerifier: pkce.verifier }).catch((e: unknown) => e);
    expect(again).toMatchObject({ errorCode: 'invalid_grant' });
    expect((again as Error).message).toContain('AADSTS54005');
  });

  it('shows a consent page when login_hint names no account', async () => {
    const url = await sandboxMsalApp(sandbox).getAuthCodeUrl({ scopes: GRAPH_MAIL_SCOPES, redirectUri: 'http://127.0.0.1:9/cb', loginHint: 'nobody@auth.test' });
    const answer = await getWithCa(url, sandbox.caPem);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('name="sandbox_consent"');
  });
});

describe('trust without process-wide settings', () => {
  it('reaches the sandbox only from clients given its CA', async () => {
    expect(process.env.NODE_EXTRA_CA_CERTS ?? '').not.toContain(certDir);
    const account = await connectSandboxAccount(sandbox, 'dee@auth.test');
    const token = await account.accessToken();
    const untrusted = Client.init({ baseUrl: sandbox.graphBaseUrl, customHosts: new Set(['localhost']), authProvider: (done) => done(null, token), fetchOptions: createGraphFetchOptions() });
    const failure = await untrusted.api('/me').get().catch((e: unknown) => e);
    expect(failure).toMatchObject({ statusCode: -1, body: 'TypeError: fetch failed' });
    const plain = await fetch(`${sandbox.origin}/sandbox/graph`).catch((e: unknown) => e);
    expect(String((plain as { cause?: { code?: string } }).cause?.code)).toMatch(/CERT|SIGNATURE/);
    const viaDispatcher = await fetch(`${sandbox.origin}/sandbox/graph`, createGraphFetchOptions(sandbox.caPem) as RequestInit);
    expect(viaDispatcher.status).toBe(200);

    const discovery = `${sandbox.authority}/v2.0/.well-known/openid-configuration`;
    await expect(createMsalNetworkClient().sendGetRequestAsync(discovery)).rejects.toThrow(/certificate/i);
    const trusted = await createMsalNetworkClient(sandbox.caPem).sendGetRequestAsync<{ token_endpoint: string }>(discovery);
    expect(trusted.status).toBe(200);
    expect(trusted.body.token_endpoint).toBe(`${sandbox.authority}/oauth2/v2.0/token`);
  });

  it('hands its CA file to other processes through NODE_EXTRA_CA_CERTS', async () => {
    const script = `fetch(process.argv[1]).then((r) => r.json()).then((b) => console.log(b.tenant))`;
    const { stdout } = await execFileAsync(process.execPath, ['-e', script, `${sandbox.origin}/sandbox/graph`], { env: { ...process.env, NODE_EXTRA_CA_CERTS: sandbox.caFile } });
    expect(stdout.trim()).toBe(sandbox.tenant);
  });

  it('keeps its CA in certDir and reuses it on the next start', async () => {
    const second = await startGraphSandbox({ certDir, port: 0 });
    try {
      expect(second.caPem).toBe(sandbox.caPem);
      expect(readFileSync(second.caFile, 'utf8')).toBe(sandbox.caPem);
      expect(second.origin).not.toBe(sandbox.origin);
    } finally {
      await second.close();
    }
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http/io';
import type { RouteRequest } from '../http/router';
import type { SandboxState } from '../state';
import type { Grant } from './grants';
import { wantsIdToken } from './scopes';

/** An OAuth error answer in Google's token-endpoint shape. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' };

export function writeOAuthError(res: ServerResponse, err: unknown): void {
  const e = err instanceof OAuthError ? err : new OAuthError(500, 'server_error', 'Internal error');
  sendJson(res, e.status, { error: e.error, error_description: e.description }, NO_STORE);
}

/** Client credentials from the form (google-auth-library) or HTTP Basic. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

function checkClient(state: SandboxState, req: IncomingMessage, form: URLSearchParams): string {
  const client = clientCredentials(req, form);
  if (client.id !== state.options.clientId) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (client.secret !== state.options.clientSecret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
  return client.id;
}

async function tokenResponse(state: SandboxState, grant: Grant, withRefresh: boolean): Promise<Record<string, unknown>> {
  const { token, expiresIn } = state.grants.issueAccessToken(grant);
  const body: Record<string, unknown> = { access_token: token, expires_in: expiresIn, scope: grant.scopes.join(' '), token_type: 'Bearer' };
  if (withRefresh) body.refresh_token = grant.refreshToken;
  if (wantsIdToken(grant.scopes)) body.id_token = await idToken(state, grant);
  return body;
}

export async function idToken(state: SandboxState, grant: Grant): Promise<string> {
  const account = state.requireAccount(grant.address);
  const iat = Math.floor(Date.now() / 1000);
  return state.signer.sign({
    iss: 'https://accounts.google.com',
    azp: grant.clientId,
    aud: grant.clientId,
    sub: account.sub,
    email: account.address,
    email_verified: true,
    ...(account.name ? { name: account.name } : {}),
    iat,
    exp: iat + 3600,
  });
}

async function exchange(state: SandboxState, form: URLSearchParams, clientId: string): Promise<Record<string, unknown>> {
  const code = form.get('code');
  if (!code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
  const entry = state.grants.redeemCode(code);
  if (!entry || entry.grant.clientId !== clientId) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
  if ((form.get('redirect_uri') ?? '') !== entry.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
  return tokenResponse(state, entry.grant, entry.issueRefreshToken);
}

async function refresh(state: SandboxState, form: URLSearchParams, clientId: string): Promise<Record<string, unknown>> {
  const token = form.get('refresh_token');
  if (!token) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grant = state.grants.liveGrantByRefresh(token);
  if (!grant) throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  if (grant.clientId !== clientId) throw new OAuthError(400, 'unauthorized_client', 'Unauthorized');
  return tokenResponse(state, grant, false);
}

/** POST /token: authorization_code and refresh_token grants, form-encoded. */
export async function tokenEndpoint(state: SandboxState, r: RouteRequest): Promise<void> {
  const form = new URLSearchParams((await readBody(r.req, 1024 * 1024)).toString('utf8'));
  const clientId = checkClient(state, r.req, form);
  const grantType = form.get('grant_type') ?? '';
  let body: Record<string, unknown>;
  if (grantType === 'authorization_code') body = await exchange(state, form, clientId);
  else if (grantType === 'refresh_token') body = await refresh(state, form, clientId);
  else throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  sendJson(r.res, 200, body, NO_STORE);
}

/** POST /revoke?token=… (google-auth-library's revokeToken); revokes the whole grant. */
export async function revokeEndpoint(state: SandboxState, r: RouteRequest): Promise<void> {
  const form = new URLSearchParams((await readBody(r.req, 64 * 1024)).toString('utf8'));
  const token = r.url.searchParams.get('token') ?? form.get('token') ?? '';
  if (!state.grants.revokeToken(token)) throw new OAuthError(400, 'invalid_token', 'Token expired or revoked');
  sendJson(r.res, 200, {});
}

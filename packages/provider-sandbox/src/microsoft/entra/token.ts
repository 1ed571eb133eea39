import { header, type Req } from '../http/request';
import { json, type HttpResponse } from '../http/respond';
import type { Mailbox } from '../mail/mailbox';
import type { SandboxState } from '../state';
import { clientInfo, grantedScopes, idToken, splitScopes, verifierMatches } from './claims';
import { ENTRA_ERRORS, entraError, missingParameter, refreshTokenExpired, unknownClient, type EntraErrorSpec } from './errors';
import { issuerFor } from './metadata';

class TokenError extends Error {
  constructor(readonly spec: EntraErrorSpec) {
    super(spec.description);
  }
}

function clientCredentials(req: Req, form: URLSearchParams): { id: string; secret: string | null } {
  const basic = /^Basic\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') };
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new TokenError(missingParameter(name));
  return value;
}

function redeem(state: SandboxState, form: URLSearchParams, clientId: string): { userId: string; scopes: string[]; nonce: string | null } {
  const grantType = required(form, 'grant_type');
  if (grantType === 'refresh_token') {
    const result = state.grants.redeemRefresh(required(form, 'refresh_token'), clientId);
    const requested = splitScopes(form.get('scope') ?? undefined);
    if (result.ok) return { userId: result.userId, scopes: requested.length ? requested : result.scopes, nonce: null };
    if (result.reason === 'revoked') throw new TokenError(ENTRA_ERRORS.revoked);
    if (result.reason === 'expired') throw new TokenError(refreshTokenExpired(result.issuedAt, state.config.refreshTokenMaxAgeMs));
    throw new TokenError(result.reason === 'client_mismatch' ? ENTRA_ERRORS.grantOtherClient : ENTRA_ERRORS.malformedRefreshToken);
  }
  if (grantType === 'authorization_code') {
    const code = state.grants.redeemCode(required(form, 'code'));
    if (code === 'redeemed') throw new TokenError(ENTRA_ERRORS.codeRedeemed);
    if (!code || code.clientId !== clientId) throw new TokenError(ENTRA_ERRORS.codeExpired);
    if (code.redirectUri !== required(form, 'redirect_uri')) throw new TokenError(ENTRA_ERRORS.redirectMismatch);
    if (code.codeChallenge && !verifierMatches(code.codeChallenge, code.codeChallengeMethod, form.get('code_verifier') ?? '')) {
      throw new TokenError(ENTRA_ERRORS.pkceMismatch);
    }
    return { userId: code.userId, scopes: code.scopes, nonce: code.nonce };
  }
  throw new TokenError(ENTRA_ERRORS.unsupportedGrant);
}

function tokenResponse(state: SandboxState, mailbox: Mailbox, scopes: string[], nonce: string | null): HttpResponse {
  const { config } = state;
  const who = { userId: mailbox.userId, address: mailbox.address, displayName: mailbox.displayName, tenant: config.tenant, clientId: config.clientId, issuer: issuerFor(config) };
  const body = {
    token_type: 'Bearer',
    scope: grantedScopes(scopes).join(' '),
    expires_in: config.accessTokenLifetimeSeconds,
    ext_expires_in: config.accessTokenLifetimeSeconds,
    access_token: state.grants.issueAccess(mailbox.userId, config.accessTokenLifetimeSeconds),
    refresh_token: state.grants.issueRefresh(mailbox.userId, config.clientId, scopes),
    ...(scopes.includes('openid') ? { id_token: idToken(who, Math.floor(Date.now() / 1000), nonce) } : {}),
    client_info: clientInfo(mailbox.userId, config.tenant),
  };
  return json(200, body, { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' });
}

/**
 * POST /{tenant}/oauth2/v2.0/token: authorization_code and refresh_token grants for the sandbox app.
 * Every answer carries a new refresh token (Entra rotates them on use); the one redeemed stays valid
 * until its own maximum age.
 */
export function handleToken(state: SandboxState, req: Req): HttpResponse {
  const form = new URLSearchParams(req.body.toString('utf8'));
  try {
    const client = clientCredentials(req, form);
    if (!client.id) throw new TokenError(missingParameter('client_id'));
    if (client.id !== state.config.clientId) throw new TokenError(unknownClient(client.id));
    if (client.secret !== state.config.clientSecret) throw new TokenError(ENTRA_ERRORS.badSecret);
    const grant = redeem(state, form, client.id);
    const mailbox = state.mailbox(grant.userId);
    if (!mailbox) throw new TokenError(ENTRA_ERRORS.malformedRefreshToken);
    if (form.get('grant_type') === 'refresh_token') state.counters.of(mailbox.address).tokenRefreshes += 1;
    return tokenResponse(state, mailbox, grant.scopes, grant.nonce);
  } catch (err) {
    if (err instanceof TokenError) return entraError(state.config.origin, err.spec);
    throw err;
  }
}

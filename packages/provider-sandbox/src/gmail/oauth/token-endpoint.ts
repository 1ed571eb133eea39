import type { SandboxState } from '../state';
import type { Mailbox } from '../store/mailbox';
import { DEFAULT_SCOPE } from './tokens';

/** An answer of the token endpoint: OAuth's flat error JSON, not Google's API envelope. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): TokenAnswer => ({ status, body: { error, error_description: description } });

export const INVALID_GRANT = oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');

type Form = Record<string, string | undefined>;

function clientOf(form: Form, authorization: string | undefined): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: form.client_id, secret: form.client_secret };
}

function checkClient(state: SandboxState, form: Form, authorization: string | undefined): TokenAnswer | null {
  const client = clientOf(form, authorization);
  if (client.id !== state.config.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (client.secret !== state.config.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
  return null;
}

async function tokenResponse(state: SandboxState, mailbox: Mailbox, scope: string, refreshToken?: string): Promise<TokenAnswer> {
  const access = state.tokens.issueAccessToken(mailbox.address, scope);
  const body: Record<string, unknown> = { access_token: access.token, expires_in: access.expiresIn, scope, token_type: 'Bearer' };
  if (refreshToken) body.refresh_token = refreshToken;
  if (/\b(openid|email)\b/.test(scope)) {
    const { clientId } = state.config;
    body.id_token = await state.keys.sign({
      iss: 'https://accounts.google.com', azp: clientId, aud: clientId, sub: mailbox.subjectId,
      email: mailbox.address, email_verified: true, ...(mailbox.name ? { name: mailbox.name } : {}),
    });
  }
  return { status: 200, body };
}

/** POST /token: authorization_code and refresh_token grants as google-auth-library sends them. */
export async function handleToken(state: SandboxState, form: Form, authorization: string | undefined): Promise<TokenAnswer> {
  const clientError = checkClient(state, form, authorization);
  if (clientError) return clientError;
  const clientId = state.config.clientId;
  if (form.grant_type === 'authorization_code') {
    if (!form.code) return oauthError(400, 'invalid_request', 'Missing required parameter: code');
    const code = state.tokens.redeemCode(form.code, clientId, form.redirect_uri, form.code_verifier);
    const mailbox = code ? state.findMailbox(code.address) : undefined;
    if (!code || !mailbox) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
    const refreshToken = code.offline ? state.tokens.issueRefreshToken(mailbox.address, clientId, code.scope) : undefined;
    return tokenResponse(state, mailbox, code.scope, refreshToken);
  }
  if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const grant = state.tokens.grantOf(form.refresh_token, clientId);
    const mailbox = grant ? state.findMailbox(grant.address) : undefined;
    if (!grant || !mailbox) return INVALID_GRANT;
    state.counters.of(mailbox.address).tokenRefreshes += 1;
    return tokenResponse(state, mailbox, grant.scope || DEFAULT_SCOPE);
  }
  return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`);
}

/** The account a token request acts for, so injected faults can target it. */
export function tokenAccount(state: SandboxState, form: Form): string | null {
  if (form.grant_type !== 'refresh_token' || !form.refresh_token) return null;
  return state.tokens.grantOf(form.refresh_token, state.config.clientId)?.address ?? null;
}

export function faultAnswer(status: number): TokenAnswer {
  if (status === 429) return oauthError(429, 'rate_limit_exceeded', 'Rate limit exceeded.');
  if (status >= 500) return oauthError(status, 'internal_failure', 'Backend Error');
  if (status === 401) return oauthError(401, 'invalid_client', 'Unauthorized');
  return INVALID_GRANT;
}

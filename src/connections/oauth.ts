import { DomainError } from '../domain-errors';
import { findUser } from '../db/repositories/directory';
import { insertOAuthState, takeOAuthState } from '../db/repositories/oauth-states';
import type { Provider } from '../provider';
import { newOAuthState } from '../ids';
import { createGoogleOAuthClient, type GoogleEndpoints } from '../providers/gmail/client';
import { createMsalApp, GRAPH_SCOPES, type MicrosoftEndpoints } from '../providers/outlook/client';
import { refreshTokenIn } from '../providers/outlook/token-cache';
import { connectMailbox } from './connect';
import type { ConnectDeps } from './deps';

export const GMAIL_SCOPES = ['https://www.googleapis.com/auth/gmail.modify', 'https://www.googleapis.com/auth/gmail.send', 'email'];

export interface OAuthDeps extends ConnectDeps {
  publicUrl: string;
  google: GoogleEndpoints;
  microsoft?: MicrosoftEndpoints;
}

const STATE_TTL_MS = 15 * 60_000;
const callbackUrl = (deps: OAuthDeps, provider: Provider) => `${deps.publicUrl}/v1/oauth/${provider}/callback`;

/** Starts a consent flow run by mailsync: a state row binds the answer to (location, user). */
export async function startOAuth(
  deps: OAuthDeps,
  provider: Provider,
  input: { locationId: string; userId: string; loginHint?: string; redirectAfter?: string },
): Promise<{ url: string; state: string }> {
  const user = await findUser(deps.db, input.userId);
  if (!user?.locationIds.includes(input.locationId)) {
    throw new DomainError('unknown_reference', `user ${input.userId} is not a member of location ${input.locationId}`, { field: 'userId' });
  }
  const state = newOAuthState();
  await insertOAuthState(deps.db, { state, provider, locationId: input.locationId, userId: input.userId, redirectAfter: input.redirectAfter ?? null });
  const hint = input.loginHint ?? user.email;
  if (provider === 'gmail') {
    const client = createGoogleOAuthClient(deps.google, callbackUrl(deps, 'gmail'));
    return { state, url: client.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: GMAIL_SCOPES, state, login_hint: hint }) };
  }
  if (!deps.microsoft) throw new DomainError('invalid_input', 'Outlook is not configured on this server');
  const url = await createMsalApp(deps.microsoft).getAuthCodeUrl({ scopes: GRAPH_SCOPES, redirectUri: callbackUrl(deps, 'outlook'), state, loginHint: hint });
  return { state, url };
}

/** The provider's redirect: exchange the code, then connect exactly as POST /v1/connections does. */
export async function finishOAuth(deps: OAuthDeps, provider: Provider, query: { code?: string; state?: string; error?: string }) {
  if (query.error) throw new DomainError('grant_refused', `the ${provider} consent was not given: ${query.error}`);
  if (!query.code || !query.state) throw new DomainError('invalid_input', 'query.code and query.state are required');
  const row = await takeOAuthState(deps.db, query.state, provider);
  if (!row || Date.now() - row.created_at.getTime() > STATE_TTL_MS) throw new DomainError('invalid_input', 'query.state is unknown or expired; start the connection again');
  const refreshToken = await exchangeCode(deps, provider, query.code);
  const result = await connectMailbox(deps, { locationId: row.location_id, userId: row.user_id, provider, refreshToken });
  return { ...result, redirectAfter: row.redirect_after };
}

async function exchangeCode(deps: OAuthDeps, provider: Provider, code: string): Promise<string> {
  try {
    if (provider === 'gmail') {
      const { tokens } = await createGoogleOAuthClient(deps.google, callbackUrl(deps, 'gmail')).getToken(code);
      if (!tokens.refresh_token) throw new Error('Google returned no refresh token (consent without access_type=offline?)');
      return tokens.refresh_token;
    }
    const msal = createMsalApp(deps.microsoft!);
    await msal.acquireTokenByCode({ code, scopes: GRAPH_SCOPES, redirectUri: callbackUrl(deps, 'outlook') });
    // MSAL keeps the refresh token in its cache rather than in the result.
    const secret = refreshTokenIn(msal.getTokenCache());
    if (!secret) throw new Error('Microsoft returned no refresh token (offline_access not granted?)');
    return secret;
  } catch (err) {
    throw new DomainError('grant_refused', `the ${provider} authorization code was refused: ${(err as Error).message}`);
  }
}

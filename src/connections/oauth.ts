import { DomainError } from '../domain-errors';
import { findUser } from '../db/repositories/directory';
import { createHash, randomBytes } from 'node:crypto';
import { CryptoProvider } from '@azure/msal-node';
import { CodeChallengeMethod } from 'google-auth-library';
import { bindOAuthState, insertOAuthState, takeOAuthState } from '../db/repositories/oauth-states';
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
  /** Origins `redirectAfter` may point at (scheme://host[:port]); none: no redirect is accepted. */
  redirectOrigins: readonly string[];
  google: GoogleEndpoints;
  microsoft?: MicrosoftEndpoints;
}

export const STATE_TTL_MS = 15 * 60_000;
const callbackUrl = (deps: OAuthDeps, provider: Provider) => `${deps.publicUrl}/v1/oauth/${provider}/callback`;
const authorizeUrl = (deps: OAuthDeps, provider: Provider, state: string) => `${deps.publicUrl}/v1/oauth/${provider}/authorize?state=${encodeURIComponent(state)}`;

/** The browser binding as stored: a hash, so a reader of the table cannot make the cookie. */
const browserHash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

function checkRedirect(deps: OAuthDeps, redirectAfter: string | undefined): void {
  if (redirectAfter === undefined) return;
  let origin: string;
  try {
    origin = new URL(redirectAfter).origin;
  } catch {
    throw new DomainError('invalid_input', 'body.redirectAfter must be an absolute URL', { field: 'redirectAfter' });
  }
  if (!deps.redirectOrigins.includes(origin)) {
    throw new DomainError('invalid_input', `body.redirectAfter must be on one of the configured origins (MAILSYNC_OAUTH_REDIRECT_ORIGINS), not ${origin}`, { field: 'redirectAfter' });
  }
}

/** PKCE (S256) with each provider's own library: the verifier stays with mailsync, the challenge goes in the consent URL. */
async function consentUrl(deps: OAuthDeps, provider: Provider, state: string, hint: string): Promise<{ url: string; codeVerifier: string }> {
  if (provider === 'gmail') {
    const client = createGoogleOAuthClient(deps.google, callbackUrl(deps, 'gmail'));
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: GMAIL_SCOPES, state, login_hint: hint, code_challenge: codeChallenge!, code_challenge_method: CodeChallengeMethod.S256 });
    return { url, codeVerifier };
  }
  if (!deps.microsoft) throw new DomainError('invalid_input', 'Outlook is not configured on this server');
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const url = await createMsalApp(deps.microsoft).getAuthCodeUrl({ scopes: GRAPH_SCOPES, redirectUri: callbackUrl(deps, 'outlook'), state, loginHint: hint, codeChallenge: challenge, codeChallengeMethod: 'S256' });
  return { url, codeVerifier: verifier };
}

/**
 * Starts a consent flow run by mailsync: a state row binds the answer to (location, user). `url` is
 * mailsync's authorize link, which binds the flow to the browser that opens it and sends it on to the
 * provider.
 */
export async function startOAuth(
  deps: OAuthDeps,
  provider: Provider,
  input: { locationId: string; userId: string; loginHint?: string; redirectAfter?: string },
): Promise<{ url: string; state: string }> {
  const user = await findUser(deps.db, input.userId);
  if (!user?.locationIds.includes(input.locationId)) {
    throw new DomainError('unknown_reference', `user ${input.userId} is not a member of location ${input.locationId}`, { field: 'userId' });
  }
  checkRedirect(deps, input.redirectAfter);
  const state = newOAuthState();
  const consent = await consentUrl(deps, provider, state, input.loginHint ?? user.email);
  await insertOAuthState(deps.db, {
    state, provider, locationId: input.locationId, userId: input.userId, redirectAfter: input.redirectAfter ?? null, consentUrl: consent.url, codeVerifier: consent.codeVerifier,
  });
  return { state, url: authorizeUrl(deps, provider, state) };
}

/**
 * The browser opens the authorize link: once per state and within its lifetime, a new random secret
 * binds the flow to this browser (its hash in the state row, the value in the cookie the caller sets)
 * and the browser goes on to the provider's consent page.
 */
export async function authorizeOAuth(deps: OAuthDeps, provider: Provider, state: string | undefined): Promise<{ consentUrl: string; browserSecret: string }> {
  if (!state) throw new DomainError('invalid_input', 'query.state is required');
  const browserSecret = randomBytes(32).toString('base64url');
  const url = await bindOAuthState(deps.db, state, provider, browserHash(browserSecret), STATE_TTL_MS);
  if (!url) throw new DomainError('invalid_input', 'query.state is unknown, expired or already opened; start the connection again');
  return { consentUrl: url, browserSecret };
}

/**
 * The provider's redirect, in the browser that opened the authorize link (its cookie): exchange the
 * code with the PKCE verifier, then connect exactly as POST /v1/connections does.
 */
export async function finishOAuth(deps: OAuthDeps, provider: Provider, query: { code?: string; state?: string; error?: string }, browserSecret: string | undefined) {
  if (query.error) throw new DomainError('grant_refused', `the ${provider} consent was not given: ${query.error}`);
  if (!query.code || !query.state) throw new DomainError('invalid_input', 'query.code and query.state are required');
  const row = browserSecret ? await takeOAuthState(deps.db, query.state, provider, browserHash(browserSecret)) : undefined;
  if (!row || !row.code_verifier || Date.now() - row.created_at.getTime() > STATE_TTL_MS) {
    throw new DomainError('invalid_input', 'query.state is unknown, expired, already used or was not started in this browser; start the connection again');
  }
  const refreshToken = await exchangeCode(deps, provider, query.code, row.code_verifier);
  const result = await connectMailbox(deps, { locationId: row.location_id, userId: row.user_id, provider, refreshToken });
  return { ...result, redirectAfter: row.redirect_after };
}

async function exchangeCode(deps: OAuthDeps, provider: Provider, code: string, codeVerifier: string): Promise<string> {
  try {
    if (provider === 'gmail') {
      const { tokens } = await createGoogleOAuthClient(deps.google, callbackUrl(deps, 'gmail')).getToken({ code, codeVerifier });
      if (!tokens.refresh_token) throw new Error('Google returned no refresh token (consent without access_type=offline?)');
      return tokens.refresh_token;
    }
    const msal = createMsalApp(deps.microsoft!);
    await msal.acquireTokenByCode({ code, scopes: GRAPH_SCOPES, redirectUri: callbackUrl(deps, 'outlook'), codeVerifier });
    // MSAL keeps the refresh token in its cache rather than in the result.
    const secret = refreshTokenIn(msal.getTokenCache());
    if (!secret) throw new Error('Microsoft returned no refresh token (offline_access not granted?)');
    return secret;
  } catch (err) {
    throw new DomainError('grant_refused', `the ${provider} authorization code was refused: ${(err as Error).message}`);
  }
}

import { OAuth2Client } from 'google-auth-library';
import { google, type gmail_v1 } from 'googleapis';
import type { AccessTokenReuse } from '../access-token-cache';

export interface GoogleEndpoints {
  clientId: string;
  clientSecret: string;
  apiRoot: string;
  tokenUrl: string;
  authUrl: string;
}

export function createGoogleOAuthClient(endpoints: GoogleEndpoints, redirectUri?: string): OAuth2Client {
  return new OAuth2Client({
    clientId: endpoints.clientId,
    clientSecret: endpoints.clientSecret,
    ...(redirectUri ? { redirectUri } : {}),
    endpoints: { oauth2TokenUrl: endpoints.tokenUrl, oauth2AuthBaseUrl: endpoints.authUrl },
  });
}

/**
 * A Gmail client for one mailbox. It starts with the access token `reuse` holds, or with an
 * expiry_date in the past that forces a refresh before the first call; either way an expiry_date is
 * set, so a 403 rate-limit answer never triggers the library's refresh-and-retry (provider-facts
 * section 0). Each token it redeems goes to `reuse` for the next client of the mailbox.
 */
export function createGmailClient(endpoints: GoogleEndpoints, refreshToken: string, callTimeoutMs?: number, reuse?: AccessTokenReuse): gmail_v1.Gmail {
  const auth = createGoogleOAuthClient(endpoints);
  const current = reuse?.current;
  auth.setCredentials(current ? { refresh_token: refreshToken, access_token: current.token, expiry_date: current.expiresAt } : { refresh_token: refreshToken, expiry_date: 1 });
  if (reuse) {
    auth.on('tokens', (tokens) => {
      if (tokens.access_token && tokens.expiry_date) reuse.onRedeemed({ token: tokens.access_token, expiresAt: tokens.expiry_date });
    });
  }
  // No retries inside the client: gaxios would retry a 429 at once, ignoring Gmail's "Retry after" time.
  // Errors are classified once (providers/errors.ts) and retried by the activity policy or the workflow's backoff.
  // A call that outlives its activity attempt must not land behind the retry's back: it is cut off first.
  return google.gmail({ version: 'v1', auth, rootUrl: endpoints.apiRoot, retry: false, ...(callTimeoutMs ? { timeout: callTimeoutMs } : {}) });
}

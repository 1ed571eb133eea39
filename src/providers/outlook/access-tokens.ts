import type { ConfidentialClientApplication } from '@azure/msal-node';
import { refreshTokenIn } from './token-cache';
import type { AccessTokenReuse } from '../access-token-cache';

export const GRAPH_SCOPES = ['https://graph.microsoft.com/Mail.ReadWrite', 'https://graph.microsoft.com/Mail.Send', 'offline_access'];

/** Renew an access token this long before it expires, so a request never carries a dying one. */
const EXPIRY_MARGIN_MS = 60_000;
/** When MSAL reports no expiry, assume a short life rather than keep a token Graph may refuse. */
const FALLBACK_LIFETIME_MS = 300_000;

/** One mailbox's refresh token, and where the tokens Entra rotates it into go. */
export interface RefreshTokenSource {
  refreshToken: string;
  /**
   * Entra answers every redemption with a new refresh token, and each one expires on its own
   * (90 days), so the newest must be kept for the next redemption. Absent: rotations live only as
   * long as this client (a one-off call, such as identifying the mailbox at connect).
   */
  onRotated?: (refreshToken: string) => Promise<void>;
}

/**
 * Access tokens for Graph from a refresh token through MSAL, reused until near expiry (starting from
 * the one `reuse` holds, and handing each new one to it for the mailbox's next client). Concurrent
 * requests share one redemption, and each later redemption uses the token the previous one rotated
 * into, so one client never redeems a token older than it has to.
 */
export function createAccessTokens(msal: ConfidentialClientApplication, source: RefreshTokenSource, reuse?: AccessTokenReuse): () => Promise<string> {
  let refreshToken = source.refreshToken;
  let cached: { token: string; expiresAt: number } | null = reuse?.current ?? null;
  let pending: Promise<string> | null = null;

  async function redeem(): Promise<string> {
    // forceCache: MSAL files a refresh-token response only for an account already in its cache, and
    // this app's cache starts empty (the token lives in Postgres); without it the rotated token is lost.
    const result = await msal.acquireTokenByRefreshToken({ refreshToken, scopes: GRAPH_SCOPES, forceCache: true });
    if (!result?.accessToken) throw new Error('MSAL returned no access token');
    const rotated = refreshTokenIn(msal.getTokenCache());
    if (rotated && rotated !== refreshToken) {
      refreshToken = rotated;
      await source.onRotated?.(rotated);
    }
    cached = { token: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() + FALLBACK_LIFETIME_MS };
    reuse?.onRedeemed(cached);
    return result.accessToken;
  }

  return () => {
    if (cached && cached.expiresAt > Date.now() + EXPIRY_MARGIN_MS) return Promise.resolve(cached.token);
    pending ??= redeem().finally(() => {
      pending = null;
    });
    return pending;
  };
}

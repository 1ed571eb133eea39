import type { TokenCache } from '@azure/msal-node';

interface SerializedCache {
  RefreshToken?: Record<string, { secret?: string }>;
}

/**
 * The refresh token Entra last returned, as MSAL filed it: MSAL keeps refresh tokens in its cache and
 * never in the result of acquireTokenByCode / acquireTokenByRefreshToken (the latter files one only
 * for an account already cached, or with forceCache). mailsync makes one MSAL app per mailbox, so
 * its cache holds one account and at most one refresh token.
 */
export function refreshTokenIn(cache: TokenCache): string | null {
  const serialized = JSON.parse(cache.serialize()) as SerializedCache;
  return Object.values(serialized.RefreshToken ?? {})[0]?.secret ?? null;
}

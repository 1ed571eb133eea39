/**
 * Provider access tokens kept in this worker's memory, per account, so the activities of a mailbox
 * reuse one token until it nears expiry instead of redeeming the refresh token in every activity.
 *
 * In memory rather than in Postgres: an access token is a bearer secret, and here it never reaches
 * disk, a backup or a replica; it costs no write per redemption. The price is one redemption per
 * account per worker per token lifetime, which is small next to one per activity.
 *
 * A token is tied to the credentials row it was redeemed from, or rotated into (a fingerprint of the
 * stored row): new credentials from the CRM (R19), or a row another process rewrote, start over with
 * a fresh redemption. A provider may end an access token before its time while the grant lives on
 * (Entra's continuous access evaluation, a session reset): a reused token that meets a 401 is evicted
 * and the attempt is retried with a fresh redemption (stale-access-token.ts); only a 401 or a refused
 * redemption after that reads as a dead grant (needs_reauth).
 */
export interface AccessToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** What one provider client starts from, and where it reports each token it redeems. */
export interface AccessTokenReuse {
  current: AccessToken | null;
  onRedeemed(token: AccessToken): void;
}

export interface AccessTokenCache {
  /** The account's token, when it came from these credentials and lives beyond the margin. */
  get(accountId: string, credentials: string): AccessToken | null;
  /** A token just redeemed from these credentials. */
  put(accountId: string, credentials: string, token: AccessToken): void;
  /** Forgets the account's token (the provider refused it), so the next client redeems a fresh one. */
  evict(accountId: string): void;
}

interface Entry extends AccessToken {
  credentials: string;
}

/** Renew this long before expiry, longer than any activity attempt, so a call never carries a dying token. */
export const ACCESS_TOKEN_MARGIN_MS = 5 * 60_000;

export function createAccessTokenCache(opts: { now?: () => number; marginMs?: number; maxAccounts?: number } = {}): AccessTokenCache {
  const now = opts.now ?? Date.now;
  const margin = opts.marginMs ?? ACCESS_TOKEN_MARGIN_MS;
  const maxAccounts = opts.maxAccounts ?? 20_000;
  const entries = new Map<string, Entry>();

  return {
    get(accountId, credentials) {
      const entry = entries.get(accountId);
      if (!entry || entry.credentials !== credentials || entry.expiresAt <= now() + margin) return null;
      return { token: entry.token, expiresAt: entry.expiresAt };
    },
    put(accountId, credentials, token) {
      entries.delete(accountId);
      entries.set(accountId, { ...token, credentials });
      // Oldest first in insertion order: the least recently redeemed accounts go when over the bound.
      for (const oldest of entries.keys()) {
        if (entries.size <= maxAccounts) break;
        entries.delete(oldest);
      }
    },
    evict(accountId) {
      entries.delete(accountId);
    },
  };
}

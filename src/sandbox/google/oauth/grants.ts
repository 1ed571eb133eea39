import { newToken } from '../ids';

/** One user's consent to one client: the refresh token and what it allows. */
export interface Grant {
  id: number;
  address: string;
  clientId: string;
  scopes: string[];
  refreshToken: string;
  revoked: boolean;
  /** Control grants stand outside the consent history, so they never suppress a consent's refresh token. */
  origin: 'consent' | 'control';
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

interface AuthCode {
  grant: Grant;
  redirectUri: string;
  issueRefreshToken: boolean;
  expiresAt: number;
}

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; grant?: Grant };

const CODE_TTL_MS = 10 * 60_000;
/** Long-running sandboxes refresh a lot; drop dead access tokens now and then. */
const PRUNE_AT = 10_000;

/** Codes, refresh tokens and access tokens, all tied to grants so a revoke kills every token at once. */
export class GrantStore {
  private nextId = 1;
  private readonly byRefresh = new Map<string, Grant>();
  private readonly access = new Map<string, AccessToken>();
  private readonly codes = new Map<string, AuthCode>();

  constructor(
    private readonly clock: () => number,
    private readonly accessTtlSeconds: number,
  ) {}

  createGrant(address: string, clientId: string, scopes: string[], origin: Grant['origin']): Grant {
    const grant: Grant = { id: this.nextId++, address, clientId, scopes, refreshToken: newToken('1//', 48), revoked: false, origin };
    this.byRefresh.set(grant.refreshToken, grant);
    return grant;
  }

  hasLiveConsent(address: string, clientId: string): boolean {
    return [...this.byRefresh.values()].some((g) => g.address === address && g.clientId === clientId && !g.revoked && g.origin === 'consent');
  }

  issueCode(grant: Grant, redirectUri: string, issueRefreshToken: boolean): string {
    const code = newToken('4/0A', 40);
    this.codes.set(code, { grant, redirectUri, issueRefreshToken, expiresAt: this.clock() + CODE_TTL_MS });
    return code;
  }

  /** Codes are single-use: a second redemption fails like an unknown code. */
  redeemCode(code: string): AuthCode | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    return entry && entry.expiresAt > this.clock() && !entry.grant.revoked ? entry : undefined;
  }

  liveGrantByRefresh(refreshToken: string): Grant | undefined {
    const grant = this.byRefresh.get(refreshToken);
    return grant && !grant.revoked ? grant : undefined;
  }

  issueAccessToken(grant: Grant): { token: string; expiresIn: number } {
    const token = newToken('ya29.a0', 96);
    if (this.access.size >= PRUNE_AT) this.pruneExpired();
    this.access.set(token, { grant, expiresAt: this.clock() + this.accessTtlSeconds * 1000 });
    return { token, expiresIn: this.accessTtlSeconds - 1 };
  }

  checkAccess(token: string): AccessCheck {
    const entry = this.access.get(token);
    if (!entry) return { ok: false };
    if (entry.grant.revoked || entry.expiresAt <= this.clock()) return { ok: false, grant: entry.grant };
    return { ok: true, grant: entry.grant };
  }

  /** Revokes the grant behind a refresh or access token (Google's /revoke accepts either). */
  revokeToken(token: string): boolean {
    const grant = this.byRefresh.get(token) ?? this.access.get(token)?.grant;
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    return true;
  }

  revokeAccount(address: string): number {
    let count = 0;
    for (const grant of this.byRefresh.values()) {
      if (grant.address === address && !grant.revoked) {
        grant.revoked = true;
        count++;
      }
    }
    return count;
  }

  private pruneExpired(): void {
    const now = this.clock();
    for (const [token, entry] of this.access) if (entry.expiresAt <= now || entry.grant.revoked) this.access.delete(token);
  }

  /** Makes the account's current access tokens expired, as if an hour had passed. */
  expireAccessTokens(address: string): void {
    for (const entry of this.access.values()) if (entry.grant.address === address) entry.expiresAt = 0;
  }
}

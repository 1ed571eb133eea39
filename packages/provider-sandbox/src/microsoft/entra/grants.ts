import { newOpaqueToken } from '../ids';

interface RefreshGrant {
  userId: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
  issuedAt: number;
}

interface AccessGrant {
  userId: string;
  expiresAt: number;
}

export interface AuthCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  nonce: string | null;
  expiresAt: number;
}

export type RedeemResult =
  | { ok: true; userId: string; scopes: string[] }
  | { ok: false; reason: 'revoked' | 'unknown' | 'client_mismatch' }
  | { ok: false; reason: 'expired'; issuedAt: number };

/** Refresh tokens, access tokens and authorization codes, all opaque to clients. */
export class Grants {
  /** @param refreshMaxAgeMs how long a refresh token is redeemable after its issue (Entra: 90 days). */
  constructor(private readonly refreshMaxAgeMs: number) {}

  private refresh = new Map<string, RefreshGrant>();
  private access = new Map<string, AccessGrant>();
  private codes = new Map<string, AuthCode>();
  private redeemedCodes = new Set<string>();

  issueRefresh(userId: string, clientId: string, scopes: string[]): string {
    const token = `0.sbx-rt.${newOpaqueToken()}${newOpaqueToken()}`;
    this.refresh.set(token, { userId, clientId, scopes, revoked: false, issuedAt: Date.now() });
    return token;
  }

  /**
   * Using a refresh token does not revoke it (Entra keeps old ones valid until they expire); the
   * caller issues a new one with each redemption, and each token ages from its own issue.
   */
  redeemRefresh(token: string, clientId: string): RedeemResult {
    const grant = this.refresh.get(token);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.revoked) return { ok: false, reason: 'revoked' };
    if (grant.clientId !== clientId) return { ok: false, reason: 'client_mismatch' };
    if (Date.now() - grant.issuedAt > this.refreshMaxAgeMs) return { ok: false, reason: 'expired', issuedAt: grant.issuedAt };
    return { ok: true, userId: grant.userId, scopes: grant.scopes };
  }

  issueAccess(userId: string, lifetimeSeconds: number): string {
    const token = `sbx-at.${newOpaqueToken()}${newOpaqueToken()}`;
    this.access.set(token, { userId, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return token;
  }

  /** The mailbox owner of a bearer token, or why it is not accepted. */
  resolveAccess(token: string): { userId: string } | { error: 'expired' | 'invalid' } {
    const grant = this.access.get(token);
    if (!grant) return { error: 'invalid' };
    if (grant.expiresAt <= Date.now()) return { error: 'expired' };
    return { userId: grant.userId };
  }

  issueCode(code: AuthCode): string {
    const token = `0.sbx-code.${newOpaqueToken()}`;
    this.codes.set(token, code);
    return token;
  }

  redeemCode(token: string): AuthCode | 'redeemed' | undefined {
    if (this.redeemedCodes.has(token)) return 'redeemed';
    const code = this.codes.get(token);
    if (!code) return undefined;
    this.codes.delete(token);
    this.redeemedCodes.add(token);
    return code.expiresAt > Date.now() ? code : undefined;
  }

  /**
   * Revokes every refresh token of the user and ends its access tokens at once, the way continuous
   * access evaluation cuts off a session after an admin revokes it.
   */
  revokeUser(userId: string): void {
    for (const grant of this.refresh.values()) if (grant.userId === userId) grant.revoked = true;
    for (const [token, grant] of this.access) if (grant.userId === userId) this.access.delete(token);
  }
}

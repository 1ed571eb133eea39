import { createHash } from 'node:crypto';
import { randomToken } from '../ids';

/** PKCE (RFC 7636): S256 hashes the verifier, plain compares it as is. */
function verifierMatches(challenge: string, method: string | undefined, verifier: string | undefined): boolean {
  if (!verifier) return false;
  const expected = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return expected === challenge;
}

interface Grant {
  address: string;
  clientId: string;
  scope: string;
  epoch: number;
}

interface AccessToken {
  address: string;
  scope: string;
  epoch: number;
  expiresAt: number;
}

interface Code extends Grant {
  redirectUri: string;
  expiresAt: number;
  offline: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

export interface CodeRequest {
  address: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** access_type=offline: only then does the code exchange hand out a refresh token. */
  offline: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const SWEEP_EVERY = 1000;

export const DEFAULT_SCOPE = 'https://www.googleapis.com/auth/gmail.modify openid email';

/**
 * Refresh tokens, access tokens and authorization codes. Revoking an account bumps its epoch,
 * which invalidates every token issued before.
 */
export class TokenStore {
  private readonly grants = new Map<string, Grant>();
  private readonly access = new Map<string, AccessToken>();
  private readonly codes = new Map<string, Code>();
  private readonly epochs = new Map<string, number>();
  private issued = 0;

  constructor(private readonly accessTtlSeconds: number) {}

  private epoch(address: string): number {
    return this.epochs.get(address) ?? 0;
  }

  issueRefreshToken(address: string, clientId: string, scope = DEFAULT_SCOPE): string {
    const token = `1//sandbox-${randomToken(32)}`;
    this.grants.set(token, { address, clientId, scope, epoch: this.epoch(address) });
    return token;
  }

  grantOf(refreshToken: string, clientId: string): Grant | null {
    const grant = this.grants.get(refreshToken);
    if (!grant || grant.clientId !== clientId || grant.epoch !== this.epoch(grant.address)) return null;
    return grant;
  }

  createCode(request: CodeRequest): string {
    const code = `4/sandbox-${randomToken(24)}`;
    this.codes.set(code, { ...request, epoch: this.epoch(request.address), expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  /** Codes are single use and bound to the client and redirect URI that asked for them. */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined, codeVerifier: string | undefined): Code | null {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.clientId !== clientId || entry.expiresAt < Date.now() || entry.epoch !== this.epoch(entry.address)) return null;
    if (redirectUri !== undefined && redirectUri !== entry.redirectUri) return null;
    if (entry.codeChallenge && !verifierMatches(entry.codeChallenge, entry.codeChallengeMethod, codeVerifier)) return null;
    return entry;
  }

  issueAccessToken(address: string, scope: string): { token: string; expiresIn: number } {
    if (++this.issued % SWEEP_EVERY === 0) this.sweep();
    const token = `ya29.sandbox-${randomToken(32)}`;
    this.access.set(token, { address, scope, epoch: this.epoch(address), expiresAt: Date.now() + this.accessTtlSeconds * 1000 });
    return { token, expiresIn: this.accessTtlSeconds };
  }

  /** The account and scope an access token acts for, or null when it is unknown, expired or revoked. */
  resolve(token: string): { address: string; scope: string } | null {
    const entry = this.access.get(token);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now() || entry.epoch !== this.epoch(entry.address)) {
      this.access.delete(token);
      return null;
    }
    return { address: entry.address, scope: entry.scope };
  }

  revokeAccount(address: string): void {
    this.epochs.set(address, this.epoch(address) + 1);
  }

  /** Revokes the grant behind one token (refresh or access), as Google's revoke endpoint does. */
  revokeToken(token: string): boolean {
    const address = this.grants.get(token)?.address ?? this.access.get(token)?.address;
    if (!address) return false;
    this.revokeAccount(address);
    return true;
  }

  /** Long runs (benchmarks with thousands of accounts) would otherwise keep every token ever issued. */
  private sweep(): void {
    const now = Date.now();
    for (const [token, entry] of this.access) if (entry.expiresAt <= now || entry.epoch !== this.epoch(entry.address)) this.access.delete(token);
    for (const [code, entry] of this.codes) if (entry.expiresAt <= now) this.codes.delete(code);
  }

  expireAccessTokens(address: string): void {
    for (const [token, entry] of this.access) if (entry.address === address) this.access.delete(token);
  }
}

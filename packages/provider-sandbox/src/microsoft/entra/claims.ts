import { createHash } from 'node:crypto';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface Identity {
  userId: string;
  address: string;
  displayName: string;
  tenant: string;
  clientId: string;
  issuer: string;
}

/**
 * An id token without a signature (alg none). MSAL decodes id tokens for account info and does not
 * verify them; a client that does verify will reject it, which is right for a sandbox.
 */
export function idToken(who: Identity, nowSeconds: number, nonce: string | null): string {
  const sub = createHash('sha256').update(`${who.userId}:${who.clientId}`).digest('base64url').slice(0, 43);
  const claims = {
    aud: who.clientId,
    iss: who.issuer,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 3600,
    name: who.displayName,
    oid: who.userId,
    preferred_username: who.address,
    email: who.address,
    sub,
    tid: who.tenant,
    ver: '2.0',
    ...(nonce ? { nonce } : {}),
  };
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(claims)}.`;
}

/** MSAL keys its account cache on client_info: base64url {uid, utid}. */
export const clientInfo = (userId: string, tenant: string): string => b64url({ uid: userId, utid: tenant });

/** The resource scopes granted: the requested ones without OIDC scopes, Graph-qualified. */
export function grantedScopes(requested: string[]): string[] {
  const resource = requested.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  const qualified = resource.map((s) => (s.includes('/') ? s : `https://graph.microsoft.com/${s}`));
  return qualified.length ? qualified : ['https://graph.microsoft.com/User.Read'];
}

export const splitScopes = (raw: string | undefined): string[] => (raw ?? '').split(/\s+/).filter(Boolean);

/** PKCE: S256 or plain, per RFC 7636. */
export function verifierMatches(challenge: string, method: string | null, verifier: string): boolean {
  if ((method ?? 'plain').toUpperCase() === 'S256') return createHash('sha256').update(verifier).digest('base64url') === challenge;
  return verifier === challenge;
}

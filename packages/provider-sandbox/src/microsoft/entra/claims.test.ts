import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientInfo, grantedScopes, idToken, verifierMatches } from './claims';

const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('id token and client info', () => {
  it('builds an unsigned JWT with the claims MSAL reads', () => {
    const who = { userId: 'u-1', address: 'ann@x.test', displayName: 'Ann', tenant: 't-1', clientId: 'c-1', issuer: 'https://localhost:1/t-1/v2.0' };
    const [header, payload, signature] = idToken(who, 1_000, 'n-1').split('.');
    expect(decode(header)).toEqual({ typ: 'JWT', alg: 'none' });
    expect(decode(payload)).toMatchObject({ aud: 'c-1', iss: who.issuer, tid: 't-1', oid: 'u-1', preferred_username: 'ann@x.test', iat: 1_000, nbf: 1_000, exp: 4_600, nonce: 'n-1' });
    expect(signature).toBe('');
    expect(decode(clientInfo('u-1', 't-1'))).toEqual({ uid: 'u-1', utid: 't-1' });
  });
});

describe('grantedScopes', () => {
  it('drops OIDC scopes and qualifies short Graph scopes', () => {
    expect(grantedScopes(['openid', 'profile', 'offline_access', 'Mail.ReadWrite', 'https://graph.microsoft.com/Mail.Send'])).toEqual([
      'https://graph.microsoft.com/Mail.ReadWrite',
      'https://graph.microsoft.com/Mail.Send',
    ]);
    expect(grantedScopes(['openid'])).toEqual(['https://graph.microsoft.com/User.Read']);
  });
});

describe('verifierMatches', () => {
  it('checks S256 and plain challenges', () => {
    const verifier = 'a'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    expect(verifierMatches(challenge, 'S256', verifier)).toBe(true);
    expect(verifierMatches(challenge, 'S256', 'b'.repeat(43))).toBe(false);
    expect(verifierMatches('plain-one', null, 'plain-one')).toBe(true);
  });
});

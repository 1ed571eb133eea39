import { createHash, createPublicKey } from 'node:crypto';
import { exportJWK, importPKCS8, SignJWT, type JWK, type JWTPayload } from 'jose';
import { generate } from 'selfsigned';

/** The key that signs id tokens and Pub/Sub push tokens, published like Google's certs endpoints. */
export interface SigningKeys {
  kid: string;
  jwks: { keys: JWK[] };
  /** `{kid: PEM certificate}`, the v1 certs format. */
  pemCerts: Record<string, string>;
  sign(claims: JWTPayload, ttlSeconds?: number): Promise<string>;
}

let shared: Promise<SigningKeys> | null = null;

/** One key per process: generating RSA keys is slow and Google also signs everything with a few keys. */
export function signingKeys(): Promise<SigningKeys> {
  shared ??= createSigningKeys();
  return shared;
}

async function createSigningKeys(): Promise<SigningKeys> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'mailsync sandbox accounts.google.com' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3600_000),
    notAfterDate: new Date(now + 365 * 24 * 3600_000),
  });
  const kid = createHash('sha1').update(pems.cert).digest('hex');
  const privateKey = await importPKCS8(pems.private, 'RS256');
  const jwk = { ...(await exportJWK(createPublicKey(pems.cert))), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    jwks: { keys: [jwk] },
    pemCerts: { [kid]: pems.cert },
    async sign(claims, ttlSeconds = 3600) {
      const iat = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(privateKey);
    },
  };
}

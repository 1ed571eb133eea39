import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { generate } from 'selfsigned';

/** The sandbox's stand-in for Google's token-signing key (ID tokens and Pub/Sub push tokens). */
export interface SigningKey {
  kid: string;
  jwk: JWK;
  /** X.509 certificate PEM, as Google serves at /oauth2/v1/certs. */
  certPem: string;
  sign(claims: JWTPayload): Promise<string>;
}

const DAY_MS = 86_400_000;

export async function createSigningKey(): Promise<SigningKey> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'mailsync sandbox Google signing key' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 365 * DAY_MS),
  });
  const privateKey: KeyObject = createPrivateKey(pems.private);
  const publicKey = new X509Certificate(pems.cert).publicKey;
  const kid = createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    jwk,
    certPem: pems.cert,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey),
  };
}

import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

export interface GmailPush {
  emailAddress: string;
  historyId: string;
}

export class PushRejected extends Error {}

/**
 * Verifies the Pub/Sub push's OIDC JWT and decodes the Gmail notification. Google signs a token for
 * any service account with any audience it asks for, so signature, issuer and audience only prove
 * that some Google identity sent it: the `email` claim must be our push subscription's service
 * account, and verified.
 */
export function createGmailPushVerifier(opts: { certsUrl: string; audience: string; serviceAccount: string }) {
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(opts.certsUrl));
  return async function verify(authorization: string | undefined, body: unknown): Promise<GmailPush> {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new PushRejected('missing bearer token');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { audience: opts.audience, issuer: ['https://accounts.google.com', 'accounts.google.com'] }));
    } catch (err) {
      throw new PushRejected(`push token rejected: ${(err as Error).message}`);
    }
    if (payload.email !== opts.serviceAccount) throw new PushRejected('push token from an unexpected service account');
    if (payload.email_verified !== true) throw new PushRejected('push token email is not verified');
    const data = (body as { message?: { data?: string } } | null)?.message?.data;
    if (!data) throw new PushRejected('push body has no message.data');
    const decoded = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Partial<GmailPush>;
    if (!decoded.emailAddress) throw new PushRejected('push data has no emailAddress');
    return { emailAddress: decoded.emailAddress.toLowerCase(), historyId: String(decoded.historyId ?? '') };
  };
}

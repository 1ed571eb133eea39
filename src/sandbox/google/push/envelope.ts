import { randomInt } from 'node:crypto';
import type { JWTPayload } from 'jose';

/** A Pub/Sub push body; Pub/Sub sends both the camelCase and snake_case ids. */
export interface PushEnvelope {
  message: {
    data: string;
    attributes: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
  };
  subscription: string;
}

export function pushEnvelope(emailAddress: string, historyId: number, subscription: string, now: number): PushEnvelope {
  // Pub/Sub message ids are 16-17 digit decimal strings.
  const messageId = `${randomInt(1, 10)}${String(randomInt(0, 2 ** 47)).padStart(15, '0')}`;
  const publishTime = new Date(now).toISOString();
  const data = Buffer.from(JSON.stringify({ emailAddress, historyId })).toString('base64');
  return {
    message: { data, attributes: {}, messageId, message_id: messageId, publishTime, publish_time: publishTime },
    subscription,
  };
}

export interface PushIdentity {
  email: string;
  /** The service account's numeric id, used as `sub` and `azp`. */
  sub: string;
}

/** Claims of the OIDC token Pub/Sub attaches to authenticated pushes (provider-facts 1.5). */
export function pushClaims(identity: PushIdentity, audience: string, now: number): JWTPayload {
  const iat = Math.floor(now / 1000);
  return {
    iss: 'https://accounts.google.com',
    aud: audience,
    azp: identity.sub,
    sub: identity.sub,
    email: identity.email,
    email_verified: true,
    iat,
    exp: iat + 3600,
  };
}

import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export { WebhookVerificationError };

/** A webhook delivery's body: the event type, when it happened, and its payload (`EventPayload.<type>` in the OpenAPI document). */
export interface WebhookEvent<Data = Record<string, unknown>> {
  type: string;
  timestamp: string;
  data: Data & { eventId: string; locationId: string | null; connectionId: string | null };
}

/**
 * Checks a delivery's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * against the endpoint's secret (`whsec_…`) over the raw body, refuses one older or newer than five
 * minutes, and returns the parsed event. Throws WebhookVerificationError otherwise. Pass the body
 * exactly as received: a re-serialised JSON body no longer matches its signature.
 */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string | Buffer): WebhookEvent {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  return new Webhook(secret).verify(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'), flat) as WebhookEvent;
}

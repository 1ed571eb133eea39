import { Webhook } from 'standardwebhooks';

/** What the CRM receives for one event: Standard Webhooks' `{ type, timestamp, data }`. */
export interface WebhookMessage {
  /** `webhook-id`: the same on every attempt and re-delivery of one event, so the CRM can drop duplicates. */
  id: string;
  type: string;
  timestamp: Date;
  data: Record<string, unknown>;
}

export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** webhook-id of a feed event: its feed id (GET /v1/events `id`) with the `evt_` prefix. */
export const webhookIdOf = (position: string) => `evt_${position}`;

/** The webhook-signature header: one `v1,<sig>` per secret, space-separated (Standard Webhooks), so a receiver holding either secret verifies. */
export function signatureHeader(secrets: readonly string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

/**
 * POSTs one signed message. Redirects are not followed (the target was checked, where it redirects was
 * not); anything but a 2xx within the timeout is a failure. Never throws.
 */
export async function postSigned(url: string, secrets: readonly string[], message: WebhookMessage, timeoutMs: number): Promise<PostOutcome> {
  const body = JSON.stringify({ type: message.type, timestamp: message.timestamp.toISOString(), data: message.data });
  const sentAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'mailsync-webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signatureHeader(secrets, message.id, sentAt, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: elapsed() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const error = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
    return { ok: false, statusCode: null, error: error.slice(0, 500), durationMs: elapsed() };
  }
}

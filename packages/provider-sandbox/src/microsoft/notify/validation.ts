import { randomUUID } from 'node:crypto';
import { post } from './post';
import { SubscriptionError } from './subscription-model';

/**
 * Graph's handshake: POST {url}?validationToken=... (text/plain); the endpoint must answer 200,
 * text/plain, with the URL-decoded token as body, within 10 s. The token has spaces and colons, so
 * an endpoint that echoes it undecoded fails here as it would against Graph.
 */
export async function validateEndpoint(url: string, timeoutMs: number, caPem: string): Promise<void> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.append('validationToken', token);
  let answer;
  try {
    answer = await post(target.toString(), '', 'text/plain; charset=utf-8', timeoutMs, caPem);
  } catch (err) {
    throw new SubscriptionError(400, 'ValidationError', `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${(err as Error).message})`);
  }
  if (answer.status !== 200) {
    throw new SubscriptionError(400, 'ValidationError', `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (got ${answer.status})`);
  }
  if (!answer.contentType.toLowerCase().startsWith('text/plain') || answer.body !== token) {
    throw new SubscriptionError(400, 'ValidationError', 'Subscription validation request failed. Response must exactly match validationToken query parameter.');
  }
}

import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent } from './webhooks';
export type { components, paths } from './schema';

export type MailsyncClient = Client<paths>;
/** A schema of the API by its component name, e.g. `Schema<'ErrorBody'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export interface MailsyncClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the mailsync API listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** One of the API keys in `MAILSYNC_API_KEYS`. */
  apiKey: string;
}

/**
 * A client for every route of the API, typed from its OpenAPI document: paths, parameters, bodies and
 * responses (`const { data, error } = await client.GET('/v1/connections/{id}', { params: { path: { id } } })`).
 */
export function createMailsyncClient({ baseUrl, apiKey, headers, ...rest }: MailsyncClientOptions): MailsyncClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}`, ...(headers as Record<string, string> | undefined) }, ...rest });
}

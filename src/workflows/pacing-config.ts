import type { Config } from '../config';
import type { Provider } from '../provider';
import type { MailboxPacing } from './state';

/** Graph counts a mailbox's requests per app over 10 minutes (provider-facts 2.5). */
export const GRAPH_QUOTA_WINDOW_MS = 10 * 60_000;

/**
 * The pacing new mailbox workflows get. All of the quota is spent: Gmail's per-user quota is per
 * project and Graph's request window per app and mailbox, so the user's other mail clients spend
 * their own; the pacer's windows match the provider's, so a backlog drains at the quota-bound rate.
 */
export function pacingFromConfig(config: Pick<Config, 'quota'>): Record<Provider, MailboxPacing> {
  return {
    gmail: { unitsPerMinute: config.quota.gmailUnitsPerMinute, share: 1 },
    outlook: { unitsPerMinute: config.quota.outlookRequestsPerMinute, share: 1, windowMs: GRAPH_QUOTA_WINDOW_MS },
  };
}

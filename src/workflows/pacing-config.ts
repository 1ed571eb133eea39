import type { Config } from '../config';
import type { Provider } from '../provider';
import type { MailboxPacing } from './state';

export function pacingFromConfig(config: Pick<Config, 'quota'>): Record<Provider, MailboxPacing> {
  return {
    gmail: { unitsPerMinute: config.quota.gmailUnitsPerMinute, share: 0.9 },
    outlook: { unitsPerMinute: config.quota.outlookRequestsPerMinute, share: 0.9 },
  };
}

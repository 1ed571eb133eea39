import { readFileSync } from 'node:fs';
import type { Config } from '../../config';
import type { MicrosoftEndpoints } from './client';

export interface OutlookSettings extends MicrosoftEndpoints {
  /** https URL of POST /webhooks/outlook, where Graph sends notifications and lifecycle events. */
  notificationUrl: string;
  /** Subscription lifetime asked for (Outlook messages: at most 4,230 minutes). */
  subscriptionMinutes: number;
}

/** Outlook settings for the worker and the API, with the extra CA (the sandbox's) read from its file. */
export function outlookSettings(config: Pick<Config, 'microsoft' | 'api'>): OutlookSettings {
  const m = config.microsoft;
  let caPem: string | null = null;
  if (m.caFile) {
    try {
      caPem = readFileSync(m.caFile, 'utf8');
    } catch (err) {
      throw new Error(`config: MICROSOFT_CA_FILE cannot be read (${(err as Error).message})`);
    }
  }
  return {
    clientId: m.clientId,
    clientSecret: m.clientSecret,
    authority: m.authority,
    graphBaseUrl: m.graphBaseUrl,
    caPem,
    notificationUrl: `${config.api.publicUrl}/webhooks/outlook`,
    subscriptionMinutes: m.subscriptionMinutes,
  };
}

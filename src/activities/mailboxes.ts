import type { Db } from '../db/client';
import { loadCredentials, saveSubscriptionId } from '../db/repositories/accounts';
import type { AccountRow } from '../db/schema';
import type { TokenCipher } from '../crypto/types';
import { createGmailClient, type GoogleEndpoints } from '../providers/gmail/client';
import { createGmailMailbox } from '../providers/gmail/mailbox';
import { createGraphClient } from '../providers/outlook/client';
import { createOutlookMailbox } from '../providers/outlook/mailbox';
import type { CallMeter, MailboxAdapter } from '../providers/types';
import type { OutlookSettings } from './deps';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './sync/memory-bound';

/** Opens a provider mailbox for an account with its stored (decrypted) credentials. */
export type MailboxFactory = (account: AccountRow, meter: CallMeter) => Promise<MailboxAdapter>;

export class MissingCredentialsError extends Error {}

export function createMailboxFactory(deps: {
  db: Db;
  cipher: TokenCipher;
  google: GoogleEndpoints & { pubsubTopic: string };
  microsoft?: OutlookSettings;
  ingest?: Pick<IngestSettings, 'maxInlineMessageBytes'>;
}): MailboxFactory {
  const maxInlineMessageBytes = deps.ingest?.maxInlineMessageBytes ?? DEFAULT_INGEST_SETTINGS.maxInlineMessageBytes;
  return async (account, meter) => {
    const sealed = await loadCredentials(deps.db, account.id);
    if (!sealed) throw new MissingCredentialsError(`account ${account.id} has no stored credentials`);
    const refreshToken = deps.cipher.decrypt(sealed);
    if (account.provider === 'gmail') {
      return createGmailMailbox({ gmail: createGmailClient(deps.google, refreshToken), meter, pubsubTopic: deps.google.pubsubTopic, maxInlineMessageBytes });
    }
    if (!deps.microsoft) throw new Error('Outlook is not configured on this worker (MICROSOFT_* settings)');
    return createOutlookMailbox({
      graph: createGraphClient(deps.microsoft, refreshToken),
      meter,
      notificationUrl: deps.microsoft.notificationUrl,
      clientState: account.client_state,
      subscriptionMinutes: deps.microsoft.subscriptionMinutes,
      subscriptionId: account.subscription_id,
      saveSubscription: (id) => saveSubscriptionId(deps.db, account.id, id),
      maxInlineMessageBytes,
    });
  };
}

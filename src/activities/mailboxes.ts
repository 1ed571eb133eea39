import type { Db } from '../db/client';
import { loadCredentials, replaceCredentials, saveSubscriptionId } from '../db/repositories/accounts';
import type { AccountRow } from '../db/schema';
import type { SealedToken, TokenCipher } from '../crypto/types';
import { createGmailClient, type GoogleEndpoints } from '../providers/gmail/client';
import { createGmailMailbox } from '../providers/gmail/mailbox';
import { createGraphClient } from '../providers/outlook/client';
import { createOutlookMailbox } from '../providers/outlook/mailbox';
import type { CallMeter, MailboxAdapter } from '../providers/types';
import type { OutlookSettings } from './deps';

/** Opens a provider mailbox for an account with its stored (decrypted) credentials. */
export type MailboxFactory = (account: AccountRow, meter: CallMeter) => Promise<MailboxAdapter>;

export class MissingCredentialsError extends Error {}

/**
 * Stores each refresh token Entra rotates the account's token into, sealed, over the row this
 * activity loaded and never over one written since: whatever is stored is the newest, and it is
 * what the next activity redeems.
 */
function storeRotations(deps: { db: Db; cipher: TokenCipher }, accountId: string, loaded: SealedToken) {
  let current = loaded;
  return async (refreshToken: string): Promise<void> => {
    const next = deps.cipher.encrypt(refreshToken);
    if (await replaceCredentials(deps.db, accountId, current, next)) current = next;
  };
}

export function createMailboxFactory(deps: {
  db: Db;
  cipher: TokenCipher;
  google: GoogleEndpoints & { pubsubTopic: string };
  microsoft?: OutlookSettings;
}): MailboxFactory {
  return async (account, meter) => {
    const sealed = await loadCredentials(deps.db, account.id);
    if (!sealed) throw new MissingCredentialsError(`account ${account.id} has no stored credentials`);
    const refreshToken = deps.cipher.decrypt(sealed);
    if (account.provider === 'gmail') {
      return createGmailMailbox({ gmail: createGmailClient(deps.google, refreshToken), meter, pubsubTopic: deps.google.pubsubTopic });
    }
    if (!deps.microsoft) throw new Error('Outlook is not configured on this worker (MICROSOFT_* settings)');
    return createOutlookMailbox({
      graph: createGraphClient(deps.microsoft, { refreshToken, onRotated: storeRotations(deps, account.id, sealed) }),
      meter,
      notificationUrl: deps.microsoft.notificationUrl,
      clientState: account.client_state,
      subscriptionMinutes: deps.microsoft.subscriptionMinutes,
      subscriptionId: account.subscription_id,
      saveSubscription: (id) => saveSubscriptionId(deps.db, account.id, id),
    });
  };
}

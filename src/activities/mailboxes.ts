import type { Db } from '../db/client';
import { loadCredentials } from '../db/repositories/accounts';
import type { AccountRow } from '../db/schema';
import type { TokenCipher } from '../crypto/types';
import { createGmailClient, type GoogleEndpoints } from '../providers/gmail/client';
import { createGmailMailbox } from '../providers/gmail/mailbox';
import type { CallMeter, MailboxAdapter } from '../providers/types';

/** Opens a provider mailbox for an account with its stored (decrypted) credentials. */
export type MailboxFactory = (account: AccountRow, meter: CallMeter) => Promise<MailboxAdapter>;

export class MissingCredentialsError extends Error {}

export function createMailboxFactory(deps: {
  db: Db;
  cipher: TokenCipher;
  google: GoogleEndpoints & { pubsubTopic: string };
  outlook?: (account: AccountRow, refreshToken: string, meter: CallMeter) => MailboxAdapter;
}): MailboxFactory {
  return async (account, meter) => {
    const sealed = await loadCredentials(deps.db, account.id);
    if (!sealed) throw new MissingCredentialsError(`account ${account.id} has no stored credentials`);
    const refreshToken = deps.cipher.decrypt(sealed);
    if (account.provider === 'outlook') {
      if (!deps.outlook) throw new Error('Outlook is not configured on this worker');
      return deps.outlook(account, refreshToken, meter);
    }
    return createGmailMailbox({ gmail: createGmailClient(deps.google, refreshToken), meter, pubsubTopic: deps.google.pubsubTopic });
  };
}

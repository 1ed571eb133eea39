import { InvalidGrantError, type MailboxIdentity } from '../connections/deps';
import { createGmailClient, type GoogleEndpoints } from './gmail/client';

function isInvalidGrant(err: unknown): boolean {
  const data = (err as { response?: { data?: { error?: unknown } } }).response?.data;
  return data?.error === 'invalid_grant' || (err as { message?: string }).message?.includes('invalid_grant') === true;
}

/** Asks the provider which mailbox a refresh token opens. */
export function createMailboxIdentity(opts: { google: GoogleEndpoints; outlook?: (refreshToken: string) => Promise<string> }): MailboxIdentity {
  return {
    async resolveAddress(provider, refreshToken) {
      if (provider === 'outlook') {
        if (!opts.outlook) throw new Error('Outlook is not configured');
        return opts.outlook(refreshToken);
      }
      try {
        const gmail = createGmailClient(opts.google, refreshToken);
        const profile = await gmail.users.getProfile({ userId: 'me' });
        if (!profile.data.emailAddress) throw new Error('Gmail profile has no emailAddress');
        return profile.data.emailAddress;
      } catch (err) {
        if (isInvalidGrant(err)) throw new InvalidGrantError('invalid_grant');
        throw err;
      }
    },
  };
}

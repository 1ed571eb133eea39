import type { Provider } from '../provider';
import { createGmailClient, type GoogleEndpoints } from './gmail/client';
import { createGraphClient, type MicrosoftEndpoints } from './outlook/client';

/** Resolves which mailbox a refresh token opens; throws InvalidGrantError when the provider refuses it. */
export interface MailboxIdentity {
  resolveAddress(provider: Provider, refreshToken: string): Promise<string>;
}

export class InvalidGrantError extends Error {}

function isInvalidGrant(err: unknown): boolean {
  const data = (err as { response?: { data?: { error?: unknown } } }).response?.data;
  const e = err as { errorCode?: string; message?: string };
  return data?.error === 'invalid_grant' || e.errorCode === 'invalid_grant' || e.message?.includes('invalid_grant') === true;
}

/** Asks the provider which mailbox a refresh token opens. */
export function createMailboxIdentity(opts: { google: GoogleEndpoints; microsoft?: MicrosoftEndpoints }): MailboxIdentity {
  return {
    async resolveAddress(provider, refreshToken) {
      if (provider === 'outlook') {
        if (!opts.microsoft) throw new Error('Outlook is not configured (MICROSOFT_* settings)');
        // The token given is what gets stored (it is the newest the CRM has); the one Entra rotates it
        // into here is not kept, and the mailbox's first activity rotates it again.
        try {
          const me = await createGraphClient(opts.microsoft, { refreshToken }).api('/me').select('mail,userPrincipalName').get();
          const address = String(me.mail ?? me.userPrincipalName ?? '');
          if (!address) throw new Error('Graph /me has no mail address');
          return address;
        } catch (err) {
          if (isInvalidGrant(err)) throw new InvalidGrantError('invalid_grant');
          throw err;
        }
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

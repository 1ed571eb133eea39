import { OAuth2Client } from 'google-auth-library';
import { google, type gmail_v1 } from 'googleapis';
import type { AccountGrant } from './control/types';
import type { GmailSandbox } from './sandbox';

export interface SandboxGmailClients {
  auth: OAuth2Client;
  gmail: gmail_v1.Gmail;
}

/**
 * The real Google clients pointed at the sandbox, configured the way mailsync configures them.
 * `expiry_date: 1` makes the client refresh before its first call instead of after a 401/403.
 */
export function sandboxGmailClients(sandbox: Pick<GmailSandbox, 'url' | 'tokenUrl' | 'authUrl'>, grant: AccountGrant, opts: { proactiveRefresh?: boolean } = {}): SandboxGmailClients {
  const auth = new OAuth2Client({
    clientId: grant.clientId,
    clientSecret: grant.clientSecret,
    endpoints: { oauth2TokenUrl: sandbox.tokenUrl, oauth2AuthBaseUrl: sandbox.authUrl },
  });
  auth.setCredentials({ refresh_token: grant.refreshToken, ...(opts.proactiveRefresh === false ? {} : { expiry_date: 1 }) });
  return { auth, gmail: google.gmail({ version: 'v1', auth, rootUrl: sandbox.url }) };
}

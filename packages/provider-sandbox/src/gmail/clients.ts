import { OAuth2Client } from 'google-auth-library';
import { google, type gmail_v1 } from 'googleapis';
import type { GmailSandbox } from './types';

export interface SandboxClients {
  auth: OAuth2Client;
  gmail: gmail_v1.Gmail;
}

/**
 * The real Google clients pointed at the sandbox, set up the way mailsync sets them up: the token
 * endpoint overridden, and an expiry on the stored credentials so the first call refreshes first.
 */
export function sandboxClients(sandbox: GmailSandbox, refreshToken: string, opts: { redirectUri?: string } = {}): SandboxClients {
  const auth = new OAuth2Client({
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    ...(opts.redirectUri ? { redirectUri: opts.redirectUri } : {}),
    endpoints: {
      oauth2TokenUrl: sandbox.tokenUrl,
      oauth2AuthBaseUrl: sandbox.authUrl,
      oauth2RevokeUrl: sandbox.revokeUrl,
      oauth2FederatedSignonJwkCertsUrl: sandbox.certsUrl,
      oauth2FederatedSignonPemCertsUrl: sandbox.pemCertsUrl,
    },
  });
  auth.setCredentials({ refresh_token: refreshToken, expiry_date: 1 });
  return { auth, gmail: google.gmail({ version: 'v1', auth, rootUrl: sandbox.url }) };
}

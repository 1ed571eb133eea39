import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { createGraphFetchOptions, createMsalNetworkClient } from './trust';
import type { GraphSandbox, SandboxGrant } from './types';

/**
 * The real MSAL and Graph client libraries configured for a sandbox, the same way the Outlook
 * adapter configures them: sandbox authority as a known authority, and the sandbox CA trusted per
 * client rather than process-wide.
 */

export const GRAPH_MAIL_SCOPES = ['https://graph.microsoft.com/Mail.ReadWrite', 'https://graph.microsoft.com/Mail.Send'];

export function sandboxMsalApp(sandbox: GraphSandbox): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, authority: sandbox.authority, knownAuthorities: [sandbox.authorityHost] },
    system: { networkClient: createMsalNetworkClient(sandbox.caPem) },
  });
}

export function sandboxGraphClient(sandbox: GraphSandbox, accessToken: () => Promise<string>): Client {
  return Client.init({
    baseUrl: sandbox.graphBaseUrl,
    customHosts: new Set([new URL(sandbox.origin).hostname]),
    fetchOptions: createGraphFetchOptions(sandbox.caPem),
    authProvider: (done) => {
      accessToken().then((token) => done(null, token), (err: unknown) => done(err, null));
    },
  });
}

export interface ConnectedAccount {
  grant: SandboxGrant;
  msal: ConfidentialClientApplication;
  client: Client;
  /** Redeems the refresh token once and reuses the access token. */
  accessToken(): Promise<string>;
}

/** Creates (or re-grants) a sandbox account and connects both client libraries to it. */
export async function connectSandboxAccount(sandbox: GraphSandbox, address: string): Promise<ConnectedAccount> {
  const grant = await sandbox.control.createAccount(address);
  const msal = sandboxMsalApp(sandbox);
  let token: Promise<string> | null = null;
  const accessToken = () => {
    token ??= msal.acquireTokenByRefreshToken({ refreshToken: grant.refreshToken, scopes: GRAPH_MAIL_SCOPES }).then((r) => {
      if (!r) throw new Error(`no token for ${address}`);
      return r.accessToken;
    });
    return token;
  };
  return { grant, msal, client: sandboxGraphClient(sandbox, accessToken), accessToken };
}

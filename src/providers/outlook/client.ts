import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { createGraphFetchOptions, createMsalNetworkClient } from './trust';

export interface MicrosoftEndpoints {
  clientId: string;
  clientSecret: string;
  authority: string;
  graphBaseUrl: string;
  /** PEM of an extra CA to trust (the sandbox's own), for Graph and Entra only. */
  caPem: string | null;
}

export const GRAPH_SCOPES = ['https://graph.microsoft.com/Mail.ReadWrite', 'https://graph.microsoft.com/Mail.Send', 'offline_access'];

export function createMsalApp(endpoints: MicrosoftEndpoints): ConfidentialClientApplication {
  const authorityHost = new URL(endpoints.authority).host;
  return new ConfidentialClientApplication({
    auth: {
      clientId: endpoints.clientId,
      clientSecret: endpoints.clientSecret,
      authority: endpoints.authority,
      knownAuthorities: [authorityHost],
    },
    system: { networkClient: createMsalNetworkClient(endpoints.caPem ?? undefined) },
  });
}

/** A Graph client for one mailbox; tokens come from the refresh token through MSAL, cached until near expiry. */
export function createGraphClient(endpoints: MicrosoftEndpoints, refreshToken: string, callTimeoutMs?: number): Client {
  const msal = createMsalApp(endpoints);
  let cached: { token: string; expiresAt: number } | null = null;
  const host = new URL(endpoints.graphBaseUrl).hostname;
  return Client.init({
    baseUrl: endpoints.graphBaseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([host]),
    fetchOptions: createGraphFetchOptions(endpoints.caPem ?? undefined, callTimeoutMs),
    authProvider: (done) => {
      if (cached && cached.expiresAt > Date.now() + 60_000) return done(null, cached.token);
      msal
        .acquireTokenByRefreshToken({ refreshToken, scopes: GRAPH_SCOPES })
        .then((result) => {
          if (!result?.accessToken) throw new Error('MSAL returned no access token');
          cached = { token: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() + 300_000 };
          done(null, result.accessToken);
        })
        .catch((err: unknown) => done(err, null));
    },
  });
}

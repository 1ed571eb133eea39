import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { createAccessTokens, GRAPH_SCOPES, type RefreshTokenSource } from './access-tokens';
import type { UploadFetch } from './large-attachments';
import type { AccessTokenReuse } from '../access-token-cache';
import { createGraphFetchOptions, createMsalNetworkClient } from './trust';

export { GRAPH_SCOPES, type RefreshTokenSource };

export interface MicrosoftEndpoints {
  clientId: string;
  clientSecret: string;
  authority: string;
  graphBaseUrl: string;
  /** PEM of an extra CA to trust (the sandbox's own), for Graph and Entra only. */
  caPem: string | null;
}

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

/** A Graph client for one mailbox; access tokens come from its refresh token (rotated on each use) through MSAL. */
export function createGraphClient(endpoints: MicrosoftEndpoints, source: RefreshTokenSource, callTimeoutMs?: number, reuse?: AccessTokenReuse): Client {
  const accessToken = createAccessTokens(createMsalApp(endpoints), source, reuse);
  const host = new URL(endpoints.graphBaseUrl).hostname;
  return Client.init({
    baseUrl: endpoints.graphBaseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([host]),
    fetchOptions: createGraphFetchOptions(endpoints.caPem ?? undefined, callTimeoutMs),
    authProvider: (done) => {
      accessToken().then(
        (token) => done(null, token),
        (err: unknown) => done(err, null),
      );
    },
  });
}

/** PUTs to attachment upload sessions, with the Graph client's trust and call timeout (and no bearer token). */
export function createUploadFetch(endpoints: MicrosoftEndpoints, callTimeoutMs?: number): UploadFetch {
  const options = createGraphFetchOptions(endpoints.caPem ?? undefined, callTimeoutMs) as RequestInit;
  return (url, init) => fetch(url, { ...options, ...init });
}

import type { AddressInfo } from 'node:net';
import { createControl } from './control';
import { buildGmailApp } from './http/app';
import { signingKeys } from './keys';
import { resolveConfig, SandboxState } from './state';
import type { GmailSandbox, GmailSandboxOptions } from './types';

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the sandbox: Google OAuth, Gmail API v1 and Pub/Sub push on one plain-HTTP origin. */
export async function startGmailSandbox(opts: GmailSandboxOptions = {}): Promise<GmailSandbox> {
  const state = new SandboxState(resolveConfig(opts), await signingKeys(), opts);
  const control = createControl(state);
  const app = buildGmailApp(state, control);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}/`;
  return {
    url,
    tokenUrl: `${url}token`,
    authUrl: `${url}o/oauth2/v2/auth`,
    revokeUrl: `${url}revoke`,
    certsUrl: `${url}oauth2/v3/certs`,
    pemCertsUrl: `${url}oauth2/v1/certs`,
    clientId: state.config.clientId,
    clientSecret: state.config.clientSecret,
    pushServiceAccount: state.config.serviceAccount,
    control,
    async close() {
      state.pusher.close();
      await app.close();
    },
  };
}

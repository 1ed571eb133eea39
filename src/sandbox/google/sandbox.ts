import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControl } from './control/control';
import { registerControlRoutes } from './control/routes';
import type { GmailSandboxControl } from './control/types';
import { registerGmailRoutes } from './gmail/routes';
import { googleErrorBody, GoogleApiError } from './http/google-errors';
import { sendJson } from './http/io';
import { Router } from './http/router';
import { createSigningKey } from './oauth/keys';
import { registerOAuthRoutes } from './oauth/routes';
import { resolveOptions, type GmailSandboxOptions } from './options';
import { SandboxState } from './state';

export interface GmailSandbox {
  /** e.g. http://127.0.0.1:PORT/ (trailing slash), usable as the googleapis rootUrl. */
  url: string;
  tokenUrl: string;
  authUrl: string;
  /** JWKS of the key that signs ID tokens and push tokens. */
  certsUrl: string;
  /** PEM certificates of the same key (google-auth-library's verifyIdToken default format). */
  pemCertsUrl: string;
  revokeUrl: string;
  control: GmailSandboxControl;
  close(): Promise<void>;
}

/** Starts the Gmail + Google OAuth + Pub/Sub push sandbox on a plain-HTTP port. */
export async function startGmailSandbox(opts: GmailSandboxOptions = {}): Promise<GmailSandbox> {
  const options = resolveOptions(opts);
  const state = new SandboxState(options, await createSigningKey());
  const control = createControl(state);
  const router = new Router(({ res, url }) => {
    const err = new GoogleApiError(404, `The requested URL ${url.pathname} was not found on this server.`, 'notFound');
    sendJson(res, 404, googleErrorBody(err));
  });
  registerOAuthRoutes(router, state);
  registerGmailRoutes(router, state);
  registerControlRoutes(router, state, control);

  const server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  return {
    url,
    tokenUrl: `${url}token`,
    authUrl: `${url}o/oauth2/v2/auth`,
    certsUrl: `${url}oauth2/v3/certs`,
    pemCertsUrl: `${url}oauth2/v1/certs`,
    revokeUrl: `${url}revoke`,
    control,
    close: async () => {
      state.publisher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

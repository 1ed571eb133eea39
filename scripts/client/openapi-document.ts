import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/deps';
import { createTokenCipher, parseKeyring } from '../../src/crypto';
import { createDb } from '../../src/db/client';
import { createMailboxIdentity } from '../../src/providers/identity';

const NOWHERE = 'http://127.0.0.1:9';
const google = { clientId: 'openapi', clientSecret: 'openapi', apiRoot: `${NOWHERE}/`, tokenUrl: `${NOWHERE}/token`, authUrl: `${NOWHERE}/auth`, pubsubTopic: 'projects/openapi/topics/gmail' };

/**
 * The API's OpenAPI document as the server serves it at /docs/json, built without Postgres or Temporal:
 * the app is built over a pool and a Temporal connection that are never used (both connect lazily).
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = createDb(`postgres://openapi@127.0.0.1:9/openapi`);
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) });
  const deps: AppDeps = {
    db,
    temporal,
    config: {
      api: { host: '127.0.0.1', port: 0, keys: ['openapi-document-key'], publicUrl: NOWHERE, oauthRedirectOrigins: [] },
      temporal: { address: '127.0.0.1:9', namespace: 'default', taskQueue: 'openapi' },
      timers: { fallbackPollMs: 60_000, watchRenewMs: 86_400_000, maxBackoffMs: 30_000, driftAuditMs: 21_600_000, sendSettleMs: 5_000, idlePollMs: 60_000 },
      google: { certsUrl: `${NOWHERE}/certs`, pushAudience: 'openapi', pushServiceAccount: 'openapi@openapi.iam.gserviceaccount.com' },
    },
    cipher: createTokenCipher(parseKeyring(`openapi:${Buffer.alloc(32).toString('base64')}`)),
    identity: createMailboxIdentity({ google }),
    google,
    taskQueue: 'openapi',
    timers: { fallbackPollMs: 60_000, watchRenewMs: 86_400_000, maxBackoffMs: 30_000 },
    bccDomain: 'bcc.openapi.local',
    messageIdDomain: 'openapi.local',
  } as AppDeps;
  const app = await buildApp(deps);
  try {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    if (res.statusCode !== 200) throw new Error(`/docs/json answered ${res.statusCode}`);
    return res.json();
  } finally {
    await app.close();
    await db.destroy();
  }
}

import { defaultCertDir } from './certs';
import type { GraphSandboxOptions } from './types';

export interface SandboxConfig {
  host: string;
  port: number;
  certDir: string;
  clientId: string;
  clientSecret: string;
  tenant: string;
  maxConcurrentPerMailbox: number;
  notificationUrlOverride: string | null;
  requestWindow: { limit: number; windowMs: number };
  subscriptionMaxMinutes: number;
  notificationRetryDelaysMs: number[];
  validationTimeoutMs: number;
  accessTokenLifetimeSeconds: number;
  refreshTokenMaxAgeMs: number;
  maxSyncStatesPerMailbox: number;
  /** Set once the server listens. */
  origin: string;
}

export const DEFAULT_CLIENT_ID = '5a1d2c3b-0000-4a4a-9d9d-5a0db0c5e111';
/** Entra's refresh-token lifetime for web apps (provider-facts 2.6): 90 days from issue. */
export const DEFAULT_REFRESH_TOKEN_MAX_AGE_MS = 90 * 86_400_000;
export const DEFAULT_TENANT = '7e3f1a2b-5a0d-4b0c-8e11-5a0db0c5e7e7';

export function resolveConfig(opts: GraphSandboxOptions = {}): SandboxConfig {
  return {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    certDir: opts.certDir ?? defaultCertDir(),
    clientId: opts.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: opts.clientSecret ?? 'sandbox-client-secret',
    tenant: opts.tenant ?? DEFAULT_TENANT,
    maxConcurrentPerMailbox: opts.maxConcurrentPerMailbox ?? 4,
    notificationUrlOverride: opts.notificationUrlOverride ?? null,
    requestWindow: opts.requestWindow ?? { limit: 10_000, windowMs: 10 * 60_000 },
    subscriptionMaxMinutes: opts.subscriptionMaxMinutes ?? 4230,
    notificationRetryDelaysMs: opts.notificationRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000],
    validationTimeoutMs: opts.validationTimeoutMs ?? 10_000,
    accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenMaxAgeMs: opts.refreshTokenMaxAgeMs ?? DEFAULT_REFRESH_TOKEN_MAX_AGE_MS,
    maxSyncStatesPerMailbox: opts.maxSyncStatesPerMailbox ?? 5_000,
    origin: '',
  };
}

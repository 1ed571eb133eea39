import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

/** How mailsync reaches Temporal: a local dev server or cluster in plain text, or a production cluster / Temporal Cloud. */
export interface TemporalConnectionSettings {
  readonly address: string;
  /** TLS to the frontend; on when an API key or a client certificate is set. */
  readonly tls: boolean;
  /** mTLS: paths of the client certificate and its key (PEM), both or neither. */
  readonly clientCertPath: string | null;
  readonly clientKeyPath: string | null;
  /** A CA the server's certificate chains to, when the system does not trust it already (PEM path). */
  readonly serverCaPath: string | null;
  readonly serverName: string | null;
  /** Temporal Cloud API key (sent as a bearer token; implies TLS). Never logged. */
  readonly apiKey: string | null;
}

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/** Options for both `Connection.connect` (client) and `NativeConnection.connect` (worker); reads the PEM files. */
export function temporalConnectionOptions(s: TemporalConnectionSettings, read: (path: string) => Buffer = readFileSync): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: s.address };
  if (s.apiKey) options.apiKey = s.apiKey;
  if (!s.tls) return options;
  const tls: TLSConfig = {};
  if (s.serverName) tls.serverNameOverride = s.serverName;
  if (s.serverCaPath) tls.serverRootCACertificate = read(s.serverCaPath);
  if (s.clientCertPath && s.clientKeyPath) tls.clientCertPair = { crt: read(s.clientCertPath), key: read(s.clientKeyPath) };
  options.tls = tls;
  return options;
}

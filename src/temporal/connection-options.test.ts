import { describe, expect, it } from 'vitest';
import { temporalConnectionOptions, type TemporalConnectionSettings } from './connection-options';

const plain: TemporalConnectionSettings = { address: '127.0.0.1:7233', tls: false, clientCertPath: null, clientKeyPath: null, serverCaPath: null, serverName: null, apiKey: null };
const files: Record<string, string> = { '/certs/client.pem': 'CERT', '/certs/client.key': 'KEY', '/certs/ca.pem': 'CA' };
const read = (p: string) => Buffer.from(files[p]!);

describe('Temporal connection options', () => {
  it('a local server: address only, no TLS', () => {
    expect(temporalConnectionOptions(plain, read)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('Temporal Cloud with an API key: TLS on, the key passed on', () => {
    expect(temporalConnectionOptions({ ...plain, address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'k' }, read)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'k', tls: {} });
  });

  it('mTLS with a private CA and a server name', () => {
    const options = temporalConnectionOptions({ ...plain, tls: true, clientCertPath: '/certs/client.pem', clientKeyPath: '/certs/client.key', serverCaPath: '/certs/ca.pem', serverName: 'temporal.internal' }, read);
    expect(options.tls).toEqual({ serverNameOverride: 'temporal.internal', serverRootCACertificate: Buffer.from('CA'), clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
  });
});

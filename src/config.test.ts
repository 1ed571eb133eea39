import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const required = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mailsync',
  MAILSYNC_API_KEYS: 'a-key-of-sixteen-characters',
  MAILSYNC_ENCRYPTION_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

describe('database timeouts', () => {
  it('default to a 5 s connect, 30 s statement and 1 min idle-in-transaction timeout', () => {
    expect(loadConfig(required).databaseTimeouts).toEqual({ connectMs: 5_000, statementMs: 30_000, idleInTransactionMs: 60_000 });
  });

  it('are read as durations', () => {
    const env = { ...required, DATABASE_CONNECT_TIMEOUT: '2s', DATABASE_STATEMENT_TIMEOUT: '2m', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: '500ms' };
    expect(loadConfig(env).databaseTimeouts).toEqual({ connectMs: 2_000, statementMs: 120_000, idleInTransactionMs: 500 });
  });

  it('stop the process with the variable named when one is not a duration', () => {
    expect(() => loadConfig({ ...required, DATABASE_STATEMENT_TIMEOUT: '30' })).toThrow(
      new ConfigError('DATABASE_STATEMENT_TIMEOUT', 'must be a duration like 500ms, 30s, 5m, 1h, 1d; got "30"'),
    );
  });
});

describe('loadConfig: reading messages', () => {
  it('defaults to a 4 MiB read bound, 3 attempts 10 s apart, and 512 MiB for the worker’s activities', () => {
    const config = loadConfig(required);
    expect(config.ingest).toEqual({ maxInlineMessageBytes: 4 * 1024 * 1024, unreadableAttempts: 3, unreadableAttemptGapMs: 10_000 });
    expect(config.workerActivityMemoryBytes).toBe(512 * 1024 * 1024);
    expect(config.workerWorkflowCacheMemoryBytes).toBe(256 * 1024 * 1024);
  });

  it('reads sizes with units and stops on a bad one, naming the variable', () => {
    const config = loadConfig({ ...required, MAILSYNC_MAX_INLINE_MESSAGE_BYTES: '2MB', MAILSYNC_UNREADABLE_ATTEMPTS: '5', MAILSYNC_UNREADABLE_ATTEMPT_GAP: '1m', MAILSYNC_WORKER_ACTIVITY_MEMORY: '1GiB', MAILSYNC_WORKER_WORKFLOW_CACHE_MEMORY: '64MiB' });
    expect(config.ingest).toEqual({ maxInlineMessageBytes: 2_000_000, unreadableAttempts: 5, unreadableAttemptGapMs: 60_000 });
    expect(config.workerActivityMemoryBytes).toBe(1024 ** 3);
    expect(config.workerWorkflowCacheMemoryBytes).toBe(64 * 1024 ** 2);
    expect(() => loadConfig({ ...required, MAILSYNC_MAX_INLINE_MESSAGE_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, MAILSYNC_MAX_INLINE_MESSAGE_BYTES: '1KiB' })).toThrow(/MAILSYNC_MAX_INLINE_MESSAGE_BYTES must be a size of at least 65536 bytes/);
    expect(() => loadConfig({ ...required, MAILSYNC_UNREADABLE_ATTEMPTS: '0' })).toThrow(/MAILSYNC_UNREADABLE_ATTEMPTS/);
  });
});

describe('loadConfig: the Temporal connection', () => {
  it('defaults to a local server in plain text', () => {
    expect(loadConfig(required).temporal).toMatchObject({ address: '127.0.0.1:7233', tls: false, apiKey: null, clientCertPath: null });
  });

  it('turns TLS on for an API key or a client certificate', () => {
    expect(loadConfig({ ...required, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key' }).temporal).toMatchObject({ tls: true, apiKey: 'key' });
    expect(loadConfig({ ...required, TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/c.key' }).temporal).toMatchObject({ tls: true, clientCertPath: '/c.pem', clientKeyPath: '/c.key' });
  });

  it('stops on half a client certificate, a bad TEMPORAL_TLS, or TLS off with credentials that need it', () => {
    expect(() => loadConfig({ ...required, TEMPORAL_TLS_CERT: '/c.pem' })).toThrow(/TEMPORAL_TLS_KEY must be set together/);
    expect(() => loadConfig({ ...required, TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS must be true or false/);
    expect(() => loadConfig({ ...required, TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'key' })).toThrow(/TEMPORAL_TLS is false/);
  });
});

describe('loadConfig: webhooks', () => {
  it('defaults to refusing private targets, a 2 s poll, a 10 s request timeout and a 24 h give-up window', () => {
    expect(loadConfig(required).webhook).toEqual({ url: null, secret: null, allowPrivate: 'none', pollMs: 2_000, requestTimeoutMs: 10_000, giveUpMs: 86_400_000 });
    expect(loadConfig({ ...required, MAILSYNC_WEBHOOK_ALLOW_PRIVATE: 'loopback', MAILSYNC_WEBHOOK_GIVE_UP: '2h' }).webhook).toMatchObject({ allowPrivate: 'loopback', giveUpMs: 7_200_000 });
  });

  it('stops on a policy it does not know, or a request timeout over a minute, naming the variable', () => {
    expect(() => loadConfig({ ...required, MAILSYNC_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(
      new ConfigError('MAILSYNC_WEBHOOK_ALLOW_PRIVATE', 'must be one of none, loopback, all; got "yes"'),
    );
    expect(() => loadConfig({ ...required, MAILSYNC_WEBHOOK_TIMEOUT: '2m' })).toThrow(/MAILSYNC_WEBHOOK_TIMEOUT must be at most 60s/);
  });
});

describe('loadConfig: log level', () => {
  it('defaults to info and takes any pino level name', () => {
    expect(loadConfig(required).logLevel).toBe('info');
    expect(loadConfig({ ...required, LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('stops on a level pino does not have, naming the variable', () => {
    expect(() => loadConfig({ ...required, LOG_LEVEL: 'verbose' })).toThrow(
      new ConfigError('LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"'),
    );
  });
});

describe('production mode', () => {
  const real = {
    GOOGLE_CLIENT_ID: '1234-abc.apps.googleusercontent.com',
    GOOGLE_CLIENT_SECRET: 'GOCSPX-real-secret',
    GMAIL_PUSH_SERVICE_ACCOUNT: 'gmail-push@crm-prod.iam.gserviceaccount.com',
    MICROSOFT_CLIENT_ID: '0b7c1d2e-1111-4222-8333-944455556666',
    MICROSOFT_CLIENT_SECRET: 'real~microsoft~secret',
  };
  const production = { ...required, MAILSYNC_MODE: 'production' };

  it('is on with MAILSYNC_MODE=production or NODE_ENV=production, and off by default', () => {
    expect(loadConfig(required).mode).toBe('development');
    expect(loadConfig({ ...required, ...real, NODE_ENV: 'production' }).mode).toBe('production');
    expect(loadConfig({ ...required, ...real, NODE_ENV: 'production', MAILSYNC_MODE: 'development' }).mode).toBe('development');
    expect(() => loadConfig({ ...required, MAILSYNC_MODE: 'prod' })).toThrow(new ConfigError('MAILSYNC_MODE', 'must be production or development, got "prod"'));
  });

  it('outside production, defaults to the sandbox clients and push service account', () => {
    const config = loadConfig(required);
    expect([config.google.clientId, config.google.clientSecret, config.google.pushServiceAccount]).toEqual(['mailsync-sandbox', 'mailsync-sandbox-secret', 'gmail-push@mailsync-sandbox.iam.gserviceaccount.com']);
    expect([config.microsoft.clientId, config.microsoft.clientSecret]).toEqual(['mailsync-sandbox', 'mailsync-sandbox-secret']);
  });

  it('starts with real provider clients and push service account', () => {
    const config = loadConfig({ ...production, ...real });
    expect(config.google).toMatchObject({ clientId: real.GOOGLE_CLIENT_ID, clientSecret: real.GOOGLE_CLIENT_SECRET, pushServiceAccount: real.GMAIL_PUSH_SERVICE_ACCOUNT });
    expect(config.microsoft).toMatchObject({ clientId: real.MICROSOFT_CLIENT_ID, clientSecret: real.MICROSOFT_CLIENT_SECRET });
  });

  it.each(Object.keys(real))('refuses to start without %s', (name) => {
    const env: Record<string, string> = { ...production, ...real };
    delete env[name];
    expect(() => loadConfig(env)).toThrow(new ConfigError(name, 'is required in production (MAILSYNC_MODE=production or NODE_ENV=production); the sandbox default is not used there'));
  });

  it.each([
    ['GOOGLE_CLIENT_ID', 'mailsync-sandbox'],
    ['GOOGLE_CLIENT_SECRET', 'mailsync-sandbox-secret'],
    ['GMAIL_PUSH_SERVICE_ACCOUNT', 'gmail-push@mailsync-sandbox.iam.gserviceaccount.com'],
    ['MICROSOFT_CLIENT_ID', 'mailsync-sandbox'],
    ['MICROSOFT_CLIENT_ID', '5a1d2c3b-0000-4a4a-9d9d-5a0db0c5e111'],
    ['MICROSOFT_CLIENT_SECRET', 'sandbox-client-secret'],
  ])('refuses the sandbox’s %s (%s)', (name, value) => {
    expect(() => loadConfig({ ...production, ...real, [name]: value })).toThrow(new ConfigError(name, 'is the provider sandbox\'s value, refused in production; set your own'));
  });
});

describe('MAILSYNC_OAUTH_REDIRECT_ORIGINS', () => {
  it('reads origins, none by default, and stops on a URL with a path', () => {
    expect(loadConfig(required).api.oauthRedirectOrigins).toEqual([]);
    expect(loadConfig({ ...required, MAILSYNC_OAUTH_REDIRECT_ORIGINS: 'https://crm.example.com, http://localhost:5173/' }).api.oauthRedirectOrigins).toEqual(['https://crm.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ ...required, MAILSYNC_OAUTH_REDIRECT_ORIGINS: 'https://crm.example.com/app' })).toThrow(
      new ConfigError('MAILSYNC_OAUTH_REDIRECT_ORIGINS', 'holds "https://crm.example.com/app"; give origins only (scheme://host[:port]), e.g. https://crm.example.com'),
    );
  });
});

describe('loadConfig: worker metrics', () => {
  it('listens on 127.0.0.1, mailsync on 9464 and the Temporal SDK on 9465, unless told otherwise or off', () => {
    expect(loadConfig(required).workerMetrics).toEqual({ host: '127.0.0.1', port: 9464, temporalPort: 9465 });
    const env = { ...required, MAILSYNC_WORKER_METRICS_HOST: '0.0.0.0', MAILSYNC_WORKER_METRICS_PORT: '9100', MAILSYNC_TEMPORAL_METRICS_PORT: 'off' };
    expect(loadConfig(env).workerMetrics).toEqual({ host: '0.0.0.0', port: 9100, temporalPort: null });
    expect(() => loadConfig({ ...required, MAILSYNC_WORKER_METRICS_PORT: 'nine' })).toThrow(/MAILSYNC_WORKER_METRICS_PORT must be a port number/);
  });
});

import { parseArgs } from 'node:util';
import type { GmailSandboxOptions } from '../gmail/types';
import type { GraphSandboxOptions } from '../microsoft/types';

export const USAGE = `mailsync-sandbox: the Gmail and Microsoft Graph emulators, standalone

  npx mailsync-sandbox [options]

  --gmail-port <n>         Gmail + Google OAuth + Pub/Sub push, plain HTTP (GMAIL_SANDBOX_PORT, 4010; 0 = any free port)
  --graph-port <n>         Graph + Entra, HTTPS with the sandbox's own CA (GRAPH_SANDBOX_PORT, 4011; 0 = any free port)
  --host <host>            interface the Gmail emulator binds (GMAIL_SANDBOX_HOST, 127.0.0.1); Graph binds 127.0.0.1
  --only <gmail|graph>     start one emulator only
  --accounts <a,b>         create these mailboxes in each emulator and print their refresh tokens (SANDBOX_ACCOUNTS)
  --push-endpoint <url>    where Gmail posts Pub/Sub pushes (GMAIL_SANDBOX_PUSH_ENDPOINT)
  --notification-url <url> deliver every Graph change notification here (GRAPH_SANDBOX_NOTIFICATION_URL)
  --cert-dir <dir>         where the Graph CA is kept (GRAPH_SANDBOX_CERT_DIR, ~/.cache/mailsync/sandbox-ca)
  -h, --help               this text

More environment: GMAIL_SANDBOX_CLIENT_ID, GMAIL_SANDBOX_CLIENT_SECRET, GMAIL_SANDBOX_PUSH_AUDIENCE,
GRAPH_SANDBOX_TENANT, GRAPH_SANDBOX_CLIENT_ID, GRAPH_SANDBOX_CLIENT_SECRET, GRAPH_SANDBOX_REFRESH_TOKEN_MAX_AGE_MS.
`;

export interface CliOptions {
  help: boolean;
  gmail: GmailSandboxOptions | null;
  graph: GraphSandboxOptions | null;
  accounts: string[];
}

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${name} must be a port number, got ${value}`);
  return n;
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return n;
}

/** Flags win over the environment; a bad value stops the start with a message naming it. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'gmail-port': { type: 'string' },
      'graph-port': { type: 'string' },
      host: { type: 'string' },
      only: { type: 'string' },
      accounts: { type: 'string' },
      'push-endpoint': { type: 'string' },
      'notification-url': { type: 'string' },
      'cert-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const only = values.only;
  if (only !== undefined && only !== 'gmail' && only !== 'graph') throw new Error(`--only must be gmail or graph, got ${only}`);
  const pushEndpoint = values['push-endpoint'] ?? env.GMAIL_SANDBOX_PUSH_ENDPOINT;
  const notificationUrl = values['notification-url'] ?? env.GRAPH_SANDBOX_NOTIFICATION_URL;
  const certDir = values['cert-dir'] ?? env.GRAPH_SANDBOX_CERT_DIR;
  const maxAge = env.GRAPH_SANDBOX_REFRESH_TOKEN_MAX_AGE_MS;
  const gmail: GmailSandboxOptions = {
    host: values.host ?? env.GMAIL_SANDBOX_HOST ?? '127.0.0.1',
    port: port(values['gmail-port'] ?? env.GMAIL_SANDBOX_PORT, 'the Gmail port', 4010),
    ...(env.GMAIL_SANDBOX_CLIENT_ID ? { clientId: env.GMAIL_SANDBOX_CLIENT_ID } : {}),
    ...(env.GMAIL_SANDBOX_CLIENT_SECRET ? { clientSecret: env.GMAIL_SANDBOX_CLIENT_SECRET } : {}),
    ...(pushEndpoint ? { pushEndpoint } : {}),
    ...(env.GMAIL_SANDBOX_PUSH_AUDIENCE ? { pushAudience: env.GMAIL_SANDBOX_PUSH_AUDIENCE } : {}),
  };
  const graph: GraphSandboxOptions = {
    port: port(values['graph-port'] ?? env.GRAPH_SANDBOX_PORT, 'the Graph port', 4011),
    ...(certDir ? { certDir } : {}),
    ...(env.GRAPH_SANDBOX_TENANT ? { tenant: env.GRAPH_SANDBOX_TENANT } : {}),
    ...(env.GRAPH_SANDBOX_CLIENT_ID ? { clientId: env.GRAPH_SANDBOX_CLIENT_ID } : {}),
    ...(env.GRAPH_SANDBOX_CLIENT_SECRET ? { clientSecret: env.GRAPH_SANDBOX_CLIENT_SECRET } : {}),
    ...(maxAge ? { refreshTokenMaxAgeMs: positive(maxAge, 'GRAPH_SANDBOX_REFRESH_TOKEN_MAX_AGE_MS') } : {}),
    ...(notificationUrl ? { notificationUrlOverride: notificationUrl } : {}),
  };
  const accounts = (values.accounts ?? env.SANDBOX_ACCOUNTS ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return { help: values.help ?? false, gmail: only === 'graph' ? null : gmail, graph: only === 'gmail' ? null : graph, accounts };
}

import { startGraphSandbox } from './server';
import type { GraphSandboxOptions } from './types';

/**
 * Runs the Graph + Entra sandbox on its own, for CRM developers working offline:
 *   GRAPH_SANDBOX_PORT=8443 GRAPH_SANDBOX_ACCOUNTS=ann@example.test npx tsx src/sandbox/microsoft/main.ts
 * Prints the endpoints, the CA file (for NODE_EXTRA_CA_CERTS in other processes) and a refresh
 * token per pre-created account.
 */
function positive(env: NodeJS.ProcessEnv, name: string): number {
  const value = Number(env[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${env[name]}`);
  return value;
}

function optionsFromEnv(env: NodeJS.ProcessEnv): GraphSandboxOptions {
  const port = env.GRAPH_SANDBOX_PORT ? Number(env.GRAPH_SANDBOX_PORT) : 0;
  if (!Number.isInteger(port) || port < 0) throw new Error(`GRAPH_SANDBOX_PORT must be a port number, got ${env.GRAPH_SANDBOX_PORT}`);
  return {
    port,
    ...(env.GRAPH_SANDBOX_CERT_DIR ? { certDir: env.GRAPH_SANDBOX_CERT_DIR } : {}),
    ...(env.GRAPH_SANDBOX_TENANT ? { tenant: env.GRAPH_SANDBOX_TENANT } : {}),
    ...(env.GRAPH_SANDBOX_CLIENT_ID ? { clientId: env.GRAPH_SANDBOX_CLIENT_ID } : {}),
    ...(env.GRAPH_SANDBOX_CLIENT_SECRET ? { clientSecret: env.GRAPH_SANDBOX_CLIENT_SECRET } : {}),
    ...(env.GRAPH_SANDBOX_REFRESH_TOKEN_MAX_AGE_MS ? { refreshTokenMaxAgeMs: positive(env, 'GRAPH_SANDBOX_REFRESH_TOKEN_MAX_AGE_MS') } : {}),
    ...(env.GRAPH_SANDBOX_NOTIFICATION_URL ? { notificationUrlOverride: env.GRAPH_SANDBOX_NOTIFICATION_URL } : {}),
  };
}

async function main(): Promise<void> {
  const sandbox = await startGraphSandbox(optionsFromEnv(process.env));
  const addresses = (process.env.GRAPH_SANDBOX_ACCOUNTS ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const accounts = await Promise.all(addresses.map((a) => sandbox.control.createAccount(a)));
  const { control: _control, close, caPem: _caPem, ...endpoints } = sandbox;
  process.stdout.write(`${JSON.stringify({ ...endpoints, control: `${sandbox.origin}/sandbox/graph`, accounts }, null, 2)}\n`);
  const stop = () => void close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`graph sandbox failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});

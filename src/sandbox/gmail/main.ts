import { startGmailSandbox } from './sandbox';

/** Runs the Gmail sandbox on its own: `npx tsx src/sandbox/gmail/main.ts`. */
async function main(): Promise<void> {
  const env = process.env;
  const sandbox = await startGmailSandbox({
    host: env.GMAIL_SANDBOX_HOST ?? '127.0.0.1',
    port: Number(env.GMAIL_SANDBOX_PORT ?? 4010),
    ...(env.GMAIL_SANDBOX_CLIENT_ID ? { clientId: env.GMAIL_SANDBOX_CLIENT_ID } : {}),
    ...(env.GMAIL_SANDBOX_CLIENT_SECRET ? { clientSecret: env.GMAIL_SANDBOX_CLIENT_SECRET } : {}),
    ...(env.GMAIL_SANDBOX_PUSH_ENDPOINT ? { pushEndpoint: env.GMAIL_SANDBOX_PUSH_ENDPOINT } : {}),
    ...(env.GMAIL_SANDBOX_PUSH_AUDIENCE ? { pushAudience: env.GMAIL_SANDBOX_PUSH_AUDIENCE } : {}),
  });
  const lines = [
    `Gmail sandbox     ${sandbox.url}  (googleapis rootUrl)`,
    `token endpoint    ${sandbox.tokenUrl}`,
    `consent page      ${sandbox.authUrl}`,
    `JWKS              ${sandbox.certsUrl}`,
    `control API       ${sandbox.url}sandbox/gmail/accounts`,
    `OAuth client      ${sandbox.clientId} / ${sandbox.clientSecret}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

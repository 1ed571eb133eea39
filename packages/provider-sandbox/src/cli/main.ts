import { startGmailSandbox } from '../gmail/sandbox';
import type { GmailSandbox } from '../gmail/types';
import { startGraphSandbox } from '../microsoft/server';
import type { GraphSandbox } from '../microsoft/types';
import { parseCli, USAGE } from './options';

/** `npx mailsync-sandbox`: both emulators standalone, with what a CRM team needs to point its clients at them. */

function gmailLines(sandbox: GmailSandbox, grants: { address: string; refreshToken: string }[]): string[] {
  return [
    'Gmail + Google OAuth + Pub/Sub push',
    `  Gmail API         ${sandbox.url}  (googleapis: google.gmail({ version: 'v1', auth, rootUrl }))`,
    `  token endpoint    ${sandbox.tokenUrl}  (google-auth-library OAuth2Client endpoints.oauth2TokenUrl)`,
    `  consent page      ${sandbox.authUrl}  (endpoints.oauth2AuthBaseUrl)`,
    `  revoke            ${sandbox.revokeUrl}`,
    `  JWKS / PEM certs  ${sandbox.certsUrl}  ${sandbox.pemCertsUrl}  (verify push tokens and id tokens)`,
    `  OAuth client      ${sandbox.clientId} / ${sandbox.clientSecret}`,
    `  control API       ${sandbox.url}sandbox/gmail  (e.g. POST ${sandbox.url}sandbox/gmail/accounts {"address":"ana@agency.example"})`,
    ...grants.map((g) => `  account           ${g.address}  refresh token ${g.refreshToken}`),
  ];
}

function graphLines(sandbox: GraphSandbox, grants: { address: string; refreshToken: string }[]): string[] {
  return [
    'Microsoft Graph + Entra (HTTPS, the sandbox CA)',
    `  Graph API         ${sandbox.graphBaseUrl}  (Client.init({ baseUrl, customHosts: ['localhost'], fetchOptions }))`,
    `  authority         ${sandbox.authority}  (MSAL auth.authority; knownAuthorities: ['${sandbox.authorityHost}'])`,
    `  OAuth client      ${sandbox.clientId} / ${sandbox.clientSecret}  tenant ${sandbox.tenant}`,
    `  CA certificate    ${sandbox.caFile}  (trust it per client, or NODE_EXTRA_CA_CERTS=${sandbox.caFile} for a whole process)`,
    `  control API       ${sandbox.origin}/sandbox/graph  (e.g. POST ${sandbox.origin}/sandbox/graph/accounts; curl --cacert ${sandbox.caFile})`,
    ...grants.map((g) => `  account           ${g.address}  refresh token ${g.refreshToken}`),
  ];
}

async function main(): Promise<void> {
  const opts = parseCli(process.argv.slice(2), process.env);
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const stops: (() => Promise<void>)[] = [];
  const lines: string[] = [];
  try {
    if (opts.gmail) {
      const gmail = await startGmailSandbox(opts.gmail);
      stops.push(() => gmail.close());
      lines.push(...gmailLines(gmail, opts.accounts.map((a) => gmail.control.createAccount(a))), '');
    }
    if (opts.graph) {
      const graph = await startGraphSandbox(opts.graph);
      stops.push(() => graph.close());
      lines.push(...graphLines(graph, await Promise.all(opts.accounts.map((a) => graph.control.createAccount(a)))), '');
    }
  } catch (err) {
    await Promise.all(stops.map((stop) => stop()));
    throw err;
  }
  lines.push('Control API reference: the package README. Ctrl-C stops.');
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void Promise.all(stops.map((s) => s())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`mailsync-sandbox: ${(err as Error).message}\n${USAGE}`);
  process.exit(1);
});

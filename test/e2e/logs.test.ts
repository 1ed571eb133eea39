import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials } from '../../src/db/repositories/accounts';
import { createLogger } from '../../src/logging/logger';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { prepareMailbox, waitForBaseline } from '../helpers/mailbox';
import { API_KEY } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

type Line = Record<string, any>;

/**
 * The API and the in-process worker log through one JSON logger into a file (a real pino
 * destination); a consent flow run by mailsync, a sync and a send, then the lines are read back.
 */
describe('JSON logs', () => {
  let stack: GmailStack;
  let logFile: string;
  beforeAll(async () => {
    logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailsync-logs-')), 'lines.jsonl');
    const logger = createLogger({ name: 'mailsync', level: 'debug', destination: pino.destination({ dest: logFile, sync: true }) });
    stack = await startGmailStack({ logger });
  });
  afterAll(async () => {
    await stack.close();
  });

  const text = () => readFileSync(logFile, 'utf8');
  const lines = (): Line[] => text().trim().split('\n').map((line) => JSON.parse(line) as Line);

  /** The browser's round trip: authorize link, the user's consent at the sandbox, the provider's redirect to the callback. */
  async function consent(startUrl: string): Promise<{ callbackPath: string; cookie: string }> {
    const link = new URL(startUrl);
    const opened = await stack.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(opened.statusCode).toBe(302);
    const approved = await fetch(new URL(String(opened.headers.location)), { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    return { callbackPath: `${back.pathname}${back.search}`, cookie: String(opened.headers['set-cookie']).split(';')[0]! };
  }

  it('carry the account, connection and workflow ids, and no code, token, secret or key', async () => {
    const prepared = await prepareMailbox(stack, 'gmail', { tag: 'logs' });
    const start = await stack.api('POST', '/v1/connections/oauth/gmail/start', { locationId: prepared.locationId, userId: prepared.userId });
    expect(start.status).toBe(200);
    const { callbackPath, cookie } = await consent(start.body.url);
    const code = new URL(callbackPath, 'http://x').searchParams.get('code')!;
    expect(code).toBeTruthy();
    const callback = await stack.app.inject({ method: 'GET', url: callbackPath, headers: { cookie } });
    expect(callback.statusCode).toBe(201);
    const { id: connectionId, accountId } = callback.json() as { id: string; accountId: string };
    const workflowId = `mailbox/gmail/${accountId}`;

    await waitForBaseline(stack, accountId);
    const inbound = await prepared.sandbox.deliver({ from: prepared.client, to: [prepared.owner], subject: 'Logged', text: 'A message to sync' });
    await waitFor(() => stack.db.selectFrom('messages').select('id').where('provider_message_id', '=', inbound.messageId).executeTakeFirst());
    const sent = await stack.api('POST', `/v1/connections/${connectionId}/messages`, { contactId: 'c-1', subject: 'Reply', text: 'Thanks' });
    expect(sent.status).toBe(201);
    await waitFor(async () => lines().some((l) => l.msg === 'message sent') && lines().some((l) => l.msg === 'sync page applied' && l.seen > 0));
    const sealed = await loadCredentials(stack.db, accountId);
    const refreshToken = stack.cipher.decrypt(sealed!, accountId);

    const all = lines();
    for (const line of all) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });

    // API: the callback's URL without its query; its completion names the connection it made.
    const callbackIn = all.filter((l) => l.msg === 'incoming request' && l.req.route === '/v1/oauth/:provider/callback');
    expect(callbackIn.length).toBeGreaterThan(0);
    for (const line of callbackIn) expect(line.req.url).toBe('/v1/oauth/gmail/callback');
    const completed = (reqIds: string[]) => all.filter((l) => l.msg === 'request completed' && reqIds.includes(l.reqId));
    expect(completed(callbackIn.map((l) => l.reqId))).toContainEqual(expect.objectContaining({ res: { statusCode: 201 }, connectionId, accountId, workflowId }));
    const sendIn = all.filter((l) => l.msg === 'incoming request' && l.req.url === `/v1/connections/${connectionId}/messages`);
    expect(completed(sendIn.map((l) => l.reqId))).toEqual([expect.objectContaining({ res: { statusCode: 201 }, connectionId })]);
    const pushIn = all.filter((l) => l.msg === 'incoming request' && l.req.url === '/webhooks/gmail');
    expect(completed(pushIn.map((l) => l.reqId))).toContainEqual(expect.objectContaining({ res: { statusCode: 202 }, accountId, workflowId }));

    // Workflow: the mailbox's lines (through the sink) carry the account and its connections.
    const workflowLines = all.filter((l) => l.sdkComponent === 'workflow' && l.workflowId === workflowId);
    expect(workflowLines.find((l) => l.msg === 'connection bound')).toMatchObject({ accountId, connectionIds: [connectionId], connectionId, runId: expect.any(String) });
    expect(workflowLines.find((l) => l.msg === 'sync round finished')).toBeDefined();
    for (const line of workflowLines) expect(line).toMatchObject({ accountId, connectionIds: [connectionId] });

    // Activities: their own lines and the SDK's lines about them.
    const activityLines = all.filter((l) => l.sdkComponent === 'activity' && l.workflowId === workflowId);
    expect(activityLines.find((l) => l.msg === 'sync page applied' && l.seen > 0)).toMatchObject({ accountId, activityType: 'syncPage' });
    expect(activityLines.find((l) => l.msg === 'message sent')).toMatchObject({ accountId, connectionId, messageId: sent.body.id, activityType: 'sendMessage' });
    expect(all.filter((l) => l.msg === 'Activity started' && l.workflowId === workflowId).length).toBeGreaterThan(0);
    for (const line of all.filter((l) => l.workflowId === workflowId)) expect(line.accountId).toBe(accountId);

    // Nothing that opens the mailbox, the OAuth client or the API.
    const logged = text();
    for (const secret of [code, encodeURIComponent(code), refreshToken, 'mailsync-test-secret', API_KEY, cookie.split('=')[1]!, start.body.state]) expect(logged).not.toContain(secret);
    for (const shape of [/code=/, /1\/\/sandbox-/, /ya29\.sandbox-/, /4\/sandbox-/, /taskToken/]) expect(logged).not.toMatch(shape);
  });
});

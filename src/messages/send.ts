import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { ApiError, notFound } from '../api/errors';
import { ensureConversation } from '../activities/sync/apply';
import { newMessageId } from '../connections/ids';
import type { Db } from '../db/client';
import { findAccount } from '../db/repositories/accounts';
import { findConnection } from '../db/repositories/connections';
import type { ConnectionRow } from '../db/schema';
import { FailureType } from '../failure-type';
import { generateMessageId } from '../mime';
import { checkOutgoingAttachments } from '../rules';
import { sendUpdate } from '../workflows/definitions';
import { mailboxWorkflowId } from '../workflows/state';
import { viewMessage, type MessageView } from './view';

export interface SendInput {
  contactId: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
  replyToMessageId?: string;
}

export interface SendDeps {
  db: Db;
  temporal: Client;
  messageIdDomain: string;
}

function requireSendable(connection: ConnectionRow): void {
  if (connection.status === 'disconnected') throw new ApiError('MAILBOX_DISCONNECTED', `connection ${connection.id} is disconnected; sends through it are rejected`);
  if (connection.status === 'needs_reauth') throw new ApiError('REAUTH_REQUIRED', `connection ${connection.id} needs new credentials before it can send`);
}

const hashRequest = (connectionId: string, input: SendInput) => createHash('sha256').update(JSON.stringify([connectionId, input])).digest('hex');

/**
 * A CRM send: the message row and its RFC Message-ID exist before the workflow's send update, so a
 * retried request (same Idempotency-Key) or a retried activity never sends twice (R22).
 */
export async function sendFromCrm(deps: SendDeps, connectionId: string, input: SendInput, idempotencyKey: string | null): Promise<{ message: MessageView; replayed: boolean }> {
  const connection = await findConnection(deps.db, connectionId);
  if (!connection) throw notFound('connection', connectionId);
  requireSendable(connection);
  const requestHash = hashRequest(connectionId, input);
  if (idempotencyKey) {
    const existing = await deps.db.selectFrom('idempotency_keys').selectAll().where('scope', '=', connectionId).where('key', '=', idempotencyKey).executeTakeFirst();
    if (existing) return replay(deps, connection, existing, requestHash);
  }
  const prepared = await prepare(deps, connection, input);
  const messageId = await deps.db.transaction().execute(async (trx) => {
    if (idempotencyKey) {
      const claimed = await trx
        .insertInto('idempotency_keys')
        .values({ scope: connectionId, key: idempotencyKey, request_hash: requestHash, message_id: prepared.id })
        .onConflict((oc) => oc.doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!claimed) return null;
    }
    await insertPending(trx, connection, prepared);
    return prepared.id;
  });
  if (!messageId) return sendFromCrm(deps, connectionId, input, idempotencyKey);
  await deliver(deps, connection, messageId, prepared.attachmentMeta);
  return { message: (await viewMessage(deps.db, messageId))!, replayed: false };
}

async function replay(
  deps: SendDeps,
  connection: ConnectionRow,
  existing: { request_hash: string; message_id: string | null },
  requestHash: string,
): Promise<{ message: MessageView; replayed: boolean }> {
  if (existing.request_hash !== requestHash) {
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request; use a new key for a new message');
  }
  const message = existing.message_id ? await viewMessage(deps.db, existing.message_id) : null;
  if (!message) throw new ApiError('INTERNAL', 'the request with this Idempotency-Key left no message');
  // Still pending or unknown: the first request died before the send was settled; drive it again (same
  // update id, and the activity looks the Message-ID up before any second provider call).
  if (message.sendStatus === 'pending' || message.sendStatus === 'unknown') {
    await deliver(deps, connection, message.id, message.attachments.map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType })));
    return { message: (await viewMessage(deps.db, message.id))!, replayed: true };
  }
  return { message, replayed: true };
}

interface Prepared {
  id: string;
  conversationId: string | null;
  contactId: string;
  rfcMessageId: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  inReplyTo: string | null;
  references: string[];
  threadId: string | null;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  attachmentMeta: { filename: string; size: number; contentType: string }[];
}

async function prepare(deps: SendDeps, connection: ConnectionRow, input: SendInput): Promise<Prepared> {
  const contact = await deps.db.selectFrom('contacts').selectAll().where('location_id', '=', connection.location_id).where('id', '=', input.contactId).executeTakeFirst();
  if (!contact) throw new ApiError('UNKNOWN_REFERENCE', `body.contactId names no contact ${input.contactId} in location ${connection.location_id}`, { field: 'contactId' });
  const attachments = (input.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') }));
  const attachmentMeta = attachments.map((a) => ({ filename: a.filename, size: a.content.length, contentType: a.contentType }));
  const check = checkOutgoingAttachments(connection.provider, attachmentMeta);
  if (!check.ok) throw new ApiError('ATTACHMENT_REJECTED', check.message, { file: check.file, limit: check.limit });
  const account = await findAccount(deps.db, connection.account_id);
  const reply = input.replyToMessageId ? await loadReplyTarget(deps, connection, input.replyToMessageId) : null;
  const subject = input.subject ?? (reply ? (/^re:/i.test(reply.subject) ? reply.subject : `Re: ${reply.subject}`) : '');
  if (!input.text && !input.html) throw new ApiError('VALIDATION_FAILED', 'body.text or body.html is required', { fields: ['body.text', 'body.html'] });
  return {
    id: newMessageId(),
    conversationId: null,
    contactId: contact.id,
    rfcMessageId: generateMessageId(deps.messageIdDomain, randomUUID()),
    to: (input.to?.length ? input.to : [contact.email]).map((a) => a.toLowerCase()),
    cc: (input.cc ?? []).map((a) => a.toLowerCase()),
    bcc: (input.bcc ?? []).map((a) => a.toLowerCase()),
    subject,
    text: input.text ?? null,
    html: input.html ?? null,
    inReplyTo: reply?.rfc_message_id ?? null,
    references: reply ? [...reply.references, reply.rfc_message_id] : [],
    // A reply continues the provider thread only through the same mailbox.
    threadId: reply && account && reply.account_id === account.id ? reply.provider_thread_id : null,
    attachments,
    attachmentMeta,
  };
}

async function loadReplyTarget(deps: SendDeps, connection: ConnectionRow, messageId: string) {
  const reply = await deps.db.selectFrom('messages').selectAll().where('id', '=', messageId).where('location_id', '=', connection.location_id).executeTakeFirst();
  if (!reply) throw new ApiError('UNKNOWN_REFERENCE', `body.replyToMessageId names no message ${messageId} in location ${connection.location_id}`, { field: 'replyToMessageId' });
  return reply;
}

async function insertPending(trx: Db, connection: ConnectionRow, p: Prepared): Promise<void> {
  const conversationId = await ensureConversation(trx, connection.location_id, p.contactId);
  const account = await trx.selectFrom('accounts').select('address').where('id', '=', connection.account_id).executeTakeFirstOrThrow();
  await trx
    .insertInto('messages')
    .values({
      id: p.id, location_id: connection.location_id, conversation_id: conversationId, connection_id: connection.id, account_id: connection.account_id,
      provider_message_id: null, provider_thread_id: p.threadId, rfc_message_id: p.rfcMessageId, in_reply_to: p.inReplyTo, references: p.references,
      direction: 'outbound', source: 'crm', send_status: 'pending', from_address: account.address, from_name: null,
      to_addresses: p.to, cc_addresses: p.cc, bcc_addresses: p.bcc, subject: p.subject, text_body: p.text, html_body: p.html,
      rule_id: 'R1', message_at: sql`now()` as never,
    })
    .execute();
  if (p.attachments.length) {
    await trx
      .insertInto('attachments')
      .values(p.attachments.map((a, position) => ({ message_id: p.id, position, filename: a.filename, content_type: a.contentType, size_bytes: a.content.length, content: a.content, provider_attachment_id: null })))
      .execute();
  }
}

/** How long the API waits for an accepted send's outcome before answering 202. */
const SEND_WAIT_MS = 30_000;

/** Refusals that prove the message was not sent: it is failed, and the API says why. */
const UPDATE_ERRORS: Record<string, 'MAILBOX_DISCONNECTED' | 'REAUTH_REQUIRED' | 'SEND_LIMIT_REACHED' | 'SEND_REJECTED'> = {
  [FailureType.MailboxDisconnected]: 'MAILBOX_DISCONNECTED',
  [FailureType.ReauthRequired]: 'REAUTH_REQUIRED',
  [FailureType.AuthRevoked]: 'REAUTH_REQUIRED',
  [FailureType.SendLimitReached]: 'SEND_LIMIT_REACHED',
  [FailureType.SendLimit]: 'SEND_LIMIT_REACHED',
  [FailureType.Permanent]: 'SEND_REJECTED',
};

/**
 * Hands the send to the mailbox workflow. A refusal (validator, provider) fails the message. Anything
 * else (a Temporal blip after the update was accepted, a lost answer) leaves its fate unknown: the
 * message is `unknown`, never `failed` on a guess, and the workflow or a retry with the same
 * Idempotency-Key settles it without sending twice.
 */
async function deliver(deps: SendDeps, connection: ConnectionRow, messageId: string, attachments: Prepared['attachmentMeta']): Promise<void> {
  const workflowId = mailboxWorkflowId(connection.provider, connection.account_id);
  try {
    const update = await executeWithRoom(() =>
      deps.temporal.workflow.getHandle(workflowId).startUpdate(sendUpdate, {
        args: [{ messageId, connectionId: connection.id, attachments }],
        updateId: `send-${messageId}`,
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      }),
    );
    // Accepted: the workflow owns the send now. Wait a while for its outcome; past that the API answers
    // 202 and the message settles by itself (read it again).
    const outcome = update.result();
    outcome.catch(() => undefined);
    await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, SEND_WAIT_MS).unref())]);
  } catch (err) {
    const failure = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : null;
    const code = failure?.type ? UPDATE_ERRORS[failure.type] : undefined;
    if (!code && !(err instanceof WorkflowNotFoundError)) {
      const reason = failure?.message ?? (err as Error).message;
      await deps.db.updateTable('messages').set({ send_status: 'unknown', send_error: reason }).where('id', '=', messageId).where('send_status', '=', 'pending').execute();
      return;
    }
    const reason = failure?.message ?? `the mailbox workflow of connection ${connection.id} is not running`;
    await deps.db.updateTable('messages').set({ send_status: 'failed', send_error: reason }).where('id', '=', messageId).where('send_status', 'in', ['pending', 'unknown']).execute();
    throw new ApiError(code ?? 'MAILBOX_DISCONNECTED', reason, { messageId, ...((failure?.details?.[0] as object | undefined) ?? {}) });
  }
}

/** gRPC codes worth another try with the same update id: the server was busy or briefly out of reach. */
const RETRYABLE_GRPC = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

/**
 * The server admits a bounded number of in-flight updates per workflow (10 by default); a burst of sends
 * beyond it is answered RESOURCE_EXHAUSTED, and a restarting server UNAVAILABLE. Same update id, so
 * retrying is safe: wait and try again.
 */
async function executeWithRoom<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: number; cause?: { code?: number } }).code ?? (err as { cause?: { code?: number } }).cause?.code;
      const retryable = (code !== undefined && RETRYABLE_GRPC.has(code)) || /RESOURCE_EXHAUSTED|in-flight updates/i.test(String((err as Error).message));
      if (!retryable || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
  }
}

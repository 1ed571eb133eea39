import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '../canonical-json';
import type { Client } from '@temporalio/client';
import { viewMessage, type MessageView } from '../conversations/message-view';
import type { Db, DbOrTrx } from '../db/client';
import { findAccount, findAccountAddress } from '../db/repositories/accounts';
import { insertAttachments } from '../db/repositories/attachments';
import { findConnection } from '../db/repositories/connections';
import { ensureConversation } from '../db/repositories/conversations';
import { findContactRow } from '../db/repositories/directory';
import { claimIdempotencyKey, findIdempotencyKey } from '../db/repositories/idempotency-keys';
import { findMessageInLocation, insertPendingSend } from '../db/repositories/messages';
import type { ConnectionRow } from '../db/schema';
import { DomainError, NotFound } from '../domain-errors';
import { newMessageId, newRfcMessageId } from '../ids';
import { checkOutgoingAttachments } from '../rules';
import { deliver, SEND_WAIT_MS, type AttachmentMeta } from './hand-off';

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
  if (connection.status === 'disconnected') throw new DomainError('mailbox_disconnected', `connection ${connection.id} is disconnected; sends through it are rejected`);
  if (connection.status === 'needs_reauth') throw new DomainError('reauth_required', `connection ${connection.id} needs new credentials before it can send`);
}

/** The request as the Idempotency-Key compares it: canonical JSON, so key order does not matter. */
const hashRequest = (connectionId: string, input: SendInput) => createHash('sha256').update(canonicalJson([connectionId, input])).digest('hex');

/** A send made (or driven again) by this call, or the first response to its Idempotency-Key, as that request stored it. */
export type SendOutcome =
  | { kind: 'made'; message: MessageView; replayed: boolean }
  | { kind: 'stored'; statusCode: number; body: Record<string, unknown> };

/** How long a request waits for the first request with its key to answer: longer than that request waits for the provider. */
const FIRST_ANSWER_WAIT_MS = SEND_WAIT_MS + 10_000;
const FIRST_ANSWER_POLL_MS = 100;

type KeyRow = NonNullable<Awaited<ReturnType<typeof findIdempotencyKey>>>;

/**
 * A CRM send: the message row and its RFC Message-ID exist before the workflow's send update, so a
 * retried request (same Idempotency-Key) or a retried activity never sends twice (R22). With a key, the
 * first request claims it (unique row) and sends; a request with the same key and body gets the first
 * response, waiting for it while the first is still in flight; a different body is refused.
 */
export async function sendFromCrm(deps: SendDeps, connectionId: string, input: SendInput, idempotencyKey: string | null): Promise<SendOutcome> {
  const connection = await findConnection(deps.db, connectionId);
  if (!connection) throw new NotFound('connection', connectionId);
  const requestHash = hashRequest(connectionId, input);
  if (idempotencyKey) {
    const existing = await findIdempotencyKey(deps.db, connectionId, idempotencyKey);
    if (existing) return answerAgain(deps, connection, existing, requestHash);
  }
  requireSendable(connection);
  const prepared = await prepare(deps, connection, input);
  const messageId = await deps.db.transaction().execute(async (trx) => {
    if (idempotencyKey) {
      if (!(await claimIdempotencyKey(trx, { scope: connectionId, key: idempotencyKey, requestHash, messageId: prepared.id }))) return null;
    }
    await insertPending(trx, connection, prepared);
    return prepared.id;
  });
  if (!messageId) {
    const winner = await findIdempotencyKey(deps.db, connectionId, idempotencyKey!);
    if (!winner) throw new DomainError('broken_invariant', 'the Idempotency-Key was claimed and is gone');
    return answerAgain(deps, connection, winner, requestHash);
  }
  await deliver(deps, connection, messageId, prepared.attachmentMeta);
  return { kind: 'made', message: (await viewMessage(deps.db, messageId))!, replayed: false };
}

/** A request whose key was claimed before: the first response once it is stored (waiting a while for it). */
async function answerAgain(deps: SendDeps, connection: ConnectionRow, existing: KeyRow, requestHash: string): Promise<SendOutcome> {
  if (existing.request_hash !== requestHash) {
    throw new DomainError('idempotency_key_reused', 'this Idempotency-Key was used for a different request; use a new key for a new message');
  }
  const deadline = Date.now() + FIRST_ANSWER_WAIT_MS;
  for (let row: KeyRow | undefined = existing; row; row = await findIdempotencyKey(deps.db, existing.scope, existing.key)) {
    if (row.response && row.status_code) return { kind: 'stored', statusCode: row.status_code, body: row.response };
    if (Date.now() >= deadline) break;
    await sleep(FIRST_ANSWER_POLL_MS);
  }
  return replay(deps, connection, existing);
}

/** The first request never answered (it died after claiming the key): drive its send again and answer from the message. */
async function replay(deps: SendDeps, connection: ConnectionRow, existing: { message_id: string | null }): Promise<SendOutcome> {
  const message = existing.message_id ? await viewMessage(deps.db, existing.message_id) : null;
  if (!message) throw new DomainError('broken_invariant', 'the request with this Idempotency-Key left no message');
  // Still pending or unknown: drive it again (same update id, and the activity looks the Message-ID up
  // before any second provider call).
  if (message.sendStatus === 'pending' || message.sendStatus === 'unknown') {
    await deliver(deps, connection, message.id, message.attachments.map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType })));
    return { kind: 'made', message: (await viewMessage(deps.db, message.id))!, replayed: true };
  }
  return { kind: 'made', message, replayed: true };
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
  attachmentMeta: AttachmentMeta[];
}

async function prepare(deps: SendDeps, connection: ConnectionRow, input: SendInput): Promise<Prepared> {
  const contact = await findContactRow(deps.db, connection.location_id, input.contactId);
  if (!contact) throw new DomainError('unknown_reference', `body.contactId names no contact ${input.contactId} in location ${connection.location_id}`, { field: 'contactId' });
  const attachments = (input.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') }));
  const attachmentMeta = attachments.map((a) => ({ filename: a.filename, size: a.content.length, contentType: a.contentType }));
  const check = checkOutgoingAttachments(connection.provider, attachmentMeta);
  if (!check.ok) throw new DomainError('attachment_rejected', check.message, { file: check.file, limit: check.limit });
  const account = await findAccount(deps.db, connection.account_id);
  const reply = input.replyToMessageId ? await loadReplyTarget(deps, connection, input.replyToMessageId) : null;
  const subject = input.subject ?? (reply ? (/^re:/i.test(reply.subject) ? reply.subject : `Re: ${reply.subject}`) : '');
  if (!input.text && !input.html) throw new DomainError('invalid_input', 'body.text or body.html is required', { fields: ['body.text', 'body.html'] });
  return {
    id: newMessageId(),
    conversationId: null,
    contactId: contact.id,
    rfcMessageId: newRfcMessageId(deps.messageIdDomain),
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
  const reply = await findMessageInLocation(deps.db, messageId, connection.location_id);
  if (!reply) throw new DomainError('unknown_reference', `body.replyToMessageId names no message ${messageId} in location ${connection.location_id}`, { field: 'replyToMessageId' });
  return reply;
}

async function insertPending(trx: DbOrTrx, connection: ConnectionRow, p: Prepared): Promise<void> {
  const conversationId = await ensureConversation(trx, connection.location_id, p.contactId);
  const fromAddress = await findAccountAddress(trx, connection.account_id);
  await insertPendingSend(trx, {
    id: p.id, locationId: connection.location_id, conversationId, connectionId: connection.id, accountId: connection.account_id,
    providerThreadId: p.threadId, rfcMessageId: p.rfcMessageId, inReplyTo: p.inReplyTo, references: p.references,
    fromAddress, to: p.to, cc: p.cc, bcc: p.bcc, subject: p.subject, text: p.text, html: p.html,
  });
  if (p.attachments.length) {
    await insertAttachments(trx, p.attachments.map((a, position) => ({ message_id: p.id, position, filename: a.filename, content_type: a.contentType, size_bytes: a.content.length, content: a.content, provider_attachment_id: null })));
  }
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, invalidArgument, notFound, userRateLimited } from '../errors';
import { isMessageIdShape } from '../ids';
import { sendFrom } from '../mail/delivery';
import type { SandboxState } from '../state';
import type { Mailbox } from '../store/mailbox';
import { runGated } from './gate';
import { bodyOf, queryOf, str } from './params';
import { readUpload } from './upload';

/** Largest message messages.send accepts through the upload path (provider-facts 1.2). */
const MAX_UPLOAD_BYTES = 35 * 1024 * 1024;

interface SendRequest {
  raw: Buffer;
  threadId?: string;
}

function fromJson(req: FastifyRequest): SendRequest {
  const body = bodyOf(req);
  const raw = str(body.raw);
  if (!raw) throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'invalidArgument');
  const threadId = str(body.threadId);
  return { raw: Buffer.from(raw, 'base64url'), ...(threadId ? { threadId } : {}) };
}

function fromUpload(req: FastifyRequest): SendRequest {
  const upload = readUpload(str(queryOf(req).uploadType), req.headers['content-type'], req.body);
  if (upload.media && upload.media.length > MAX_UPLOAD_BYTES) throw badRequest(`Request payload size exceeds the limit: ${MAX_UPLOAD_BYTES} bytes.`);
  const threadId = str(upload.metadata.threadId);
  const raw = upload.media ?? (str(upload.metadata.raw) ? Buffer.from(str(upload.metadata.raw)!, 'base64url') : null);
  if (!raw) throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'invalidArgument');
  return { raw, ...(threadId ? { threadId } : {}) };
}

function checkThread(mailbox: Mailbox, threadId: string | undefined): void {
  if (threadId === undefined) return;
  if (!isMessageIdShape(threadId)) throw invalidArgument('Invalid thread_id value');
  if (mailbox.thread(threadId).length === 0) throw notFound();
}

/** Rolling 24-hour send limit; Gmail words it like the rate limit, marked "(Mail sending)". */
function checkDailyLimit(state: SandboxState, address: string): void {
  const fits = state.sendWindow(address).check(Date.now(), 1, state.config.dailySendLimit);
  if (!fits.ok) throw userRateLimited(new Date(fits.retryAt), ' (Mail sending)');
}

export function registerSendRoutes(app: FastifyInstance, state: SandboxState): void {
  const send = (req: FastifyRequest, read: (req: FastifyRequest) => SendRequest) =>
    runGated(state, req, 'messages.send', async ({ mailbox }) => {
      const request = read(req);
      checkThread(mailbox, request.threadId);
      checkDailyLimit(state, mailbox.address);
      const { message } = await sendFrom(state, mailbox, request.raw, request.threadId);
      state.sendWindow(mailbox.address).spend(Date.now(), 1);
      state.counters.of(mailbox.address).sendsAccepted += 1;
      return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
    });
  app.post('/gmail/v1/users/:userId/messages/send', (req) => send(req, fromJson));
  app.post('/upload/gmail/v1/users/:userId/messages/send', (req) => send(req, fromUpload));
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, invalidArgument } from '../errors';
import type { SandboxState } from '../state';
import { parseMail } from '../store/message';
import type { GmailMethod } from '../types';
import { runGated } from './gate';
import { bodyOf, list, queryOf, str } from './params';
import { readUpload } from './upload';

interface InsertRequest {
  raw: Buffer;
  labelIds: string[];
  threadId?: string;
}

function readRequest(req: FastifyRequest, upload: boolean): InsertRequest {
  const { metadata, media } = upload ? readUpload(str(queryOf(req).uploadType), req.headers['content-type'], req.body) : { metadata: bodyOf(req), media: null };
  const encoded = str(metadata.raw);
  const raw = media ?? (encoded ? Buffer.from(encoded, 'base64url') : null);
  if (!raw) throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'invalidArgument');
  const threadId = str(metadata.threadId);
  return { raw, labelIds: list(metadata.labelIds), ...(threadId ? { threadId } : {}) };
}

/**
 * messages.insert (like IMAP APPEND) and messages.import (like SMTP delivery): the message lands in
 * this mailbox only, with the labels given; the internal date is the receive time or the Date header.
 */
export function registerInsertRoutes(app: FastifyInstance, state: SandboxState): void {
  const handle = (req: FastifyRequest, method: GmailMethod, upload: boolean) =>
    runGated(state, req, method, async ({ mailbox }) => {
      const request = readRequest(req, upload);
      const source = str(queryOf(req).internalDateSource) ?? (method === 'messages.import' ? 'dateHeader' : 'receivedTime');
      if (source !== 'dateHeader' && source !== 'receivedTime') throw invalidArgument(`Invalid value for internalDateSource: ${source}`);
      const mail = await parseMail(request.raw);
      const internalDate = source === 'dateHeader' && mail.dateHeader !== null ? mail.dateHeader : Date.now();
      const message = mailbox.insert(request.raw, mail, { labels: request.labelIds, internalDate, ...(request.threadId ? { requestedThreadId: request.threadId } : {}) });
      return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
    });
  app.post('/gmail/v1/users/:userId/messages', (req) => handle(req, 'messages.insert', false));
  app.post('/upload/gmail/v1/users/:userId/messages', (req) => handle(req, 'messages.insert', true));
  app.post('/gmail/v1/users/:userId/messages/import', (req) => handle(req, 'messages.import', false));
  app.post('/upload/gmail/v1/users/:userId/messages/import', (req) => handle(req, 'messages.import', true));
}

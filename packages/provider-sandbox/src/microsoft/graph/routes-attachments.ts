import { jsonBody } from '../http/request';
import { GraphHttpError, badRequest, empty, json, notFound } from '../http/respond';
import { MAX_UPLOAD_SESSION_BYTES, MIN_UPLOAD_SESSION_BYTES } from '../mail/limits';
import type { StoredAttachment, StoredMessage } from '../mail/model';
import { attachmentToGraph, validateAttachmentSelect } from '../mail/represent';
import { findMessage, type GraphContext, type Route } from './context';
import { fileAttachment } from './message-input';
import { UploadSessions } from './upload-sessions';

function findAttachment(m: StoredMessage, id: string | undefined): StoredAttachment {
  const a = m.attachments.find((x) => x.id === id);
  if (!a) throw notFound();
  return a;
}

/** `$select` on the attachment resource itself (no contentBytes unless named). */
function attachmentSelect(ctx: GraphContext): string[] | null {
  const raw = ctx.req.query.get('$select');
  const select = raw === undefined ? null : raw.split(',').map((name) => name.trim()).filter(Boolean);
  validateAttachmentSelect(select);
  return select;
}

function add(ctx: GraphContext, id: string | undefined) {
  const m = findMessage(ctx, id);
  const attachment = fileAttachment(jsonBody(ctx.req));
  m.attachments.push(attachment);
  ctx.mailbox.touch(m);
  return json(201, attachmentToGraph(attachment));
}

function remove(ctx: GraphContext, id: string | undefined, attachmentId: string | undefined) {
  const m = findMessage(ctx, id);
  const a = findAttachment(m, attachmentId);
  m.attachments = m.attachments.filter((x) => x !== a);
  ctx.mailbox.touch(m);
  return empty(204);
}

function createUploadSession(ctx: GraphContext, id: string | undefined) {
  const m = findMessage(ctx, id);
  const body = (jsonBody(ctx.req) ?? {}) as { AttachmentItem?: Record<string, unknown> };
  const item = body.AttachmentItem;
  if (!item || item.attachmentType !== 'file' || typeof item.name !== 'string' || typeof item.size !== 'number') {
    throw badRequest('AttachmentItem with attachmentType "file", name and size is required.', 'ErrorInvalidRequest');
  }
  if (item.size < MIN_UPLOAD_SESSION_BYTES) {
    throw badRequest('Attachment size must be greater than the minimum size.', 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize');
  }
  if (item.size > MAX_UPLOAD_SESSION_BYTES) {
    throw new GraphHttpError(400, 'ErrorAttachmentSizeShouldNotBeGreaterThanMaximumSize', 'Attachment size must be less than the maximum size.');
  }
  const session = ctx.services.uploads.create({
    mailboxAddress: ctx.mailbox.address,
    messageId: m.immutableId,
    name: item.name,
    contentType: typeof item.contentType === 'string' ? item.contentType : 'application/octet-stream',
    isInline: item.isInline === true,
    contentId: typeof item.contentId === 'string' ? item.contentId : null,
    size: item.size,
  });
  const uploadUrl = `${ctx.services.config.origin}/upload/AttachmentSessions/${session.token}`;
  return json(201, { '@odata.context': `${ctx.services.config.origin}/v1.0/$metadata#microsoft.graph.uploadSession`, uploadUrl, ...UploadSessions.status(session) });
}

export const attachmentRoutes: Route[] = [
  { name: 'attachments.list', method: 'GET', path: 'messages/:id/attachments', handler: (ctx, p) => json(200, { value: findMessage(ctx, p.id).attachments.map((a) => attachmentToGraph(a, attachmentSelect(ctx))) }) },
  { name: 'attachments.get', method: 'GET', path: 'messages/:id/attachments/:aid', handler: (ctx, p) => json(200, attachmentToGraph(findAttachment(findMessage(ctx, p.id), p.aid), attachmentSelect(ctx))) },
  {
    name: 'attachments.content',
    method: 'GET',
    path: 'messages/:id/attachments/:aid/$value',
    handler: (ctx, p) => {
      const a = findAttachment(findMessage(ctx, p.id), p.aid);
      return { status: 200, headers: { 'Content-Type': a.contentType }, body: a.content };
    },
  },
  { name: 'attachments.add', method: 'POST', path: 'messages/:id/attachments', handler: (ctx, p) => add(ctx, p.id) },
  { name: 'attachments.delete', method: 'DELETE', path: 'messages/:id/attachments/:aid', handler: (ctx, p) => remove(ctx, p.id, p.aid) },
  { name: 'attachments.createUploadSession', method: 'POST', path: 'messages/:id/attachments/createUploadSession', handler: (ctx, p) => createUploadSession(ctx, p.id) },
];

import { header, jsonBody } from '../http/request';
import { badRequest, empty, json, notFound } from '../http/respond';
import { newStoredMessage } from '../mail/compose';
import { draftFromBase64Mime, messageToMime } from '../mail/mime';
import type { Folder } from '../mail/model';
import { messageToGraph } from '../mail/represent';
import { findMessage, odata, preferenceApplied, representation, type GraphContext, type Route } from './context';
import { draftFromJson, parseMessageJson } from './message-input';
import { listMessages } from './message-list';

const isMime = (ctx: GraphContext): boolean => (header(ctx.req, 'content-type') ?? '').toLowerCase().startsWith('text/plain');

function folderOf(ctx: GraphContext, ref: string | undefined): Folder {
  const folder = ref ? ctx.mailbox.folder(ref) : undefined;
  if (!folder) throw notFound();
  return folder;
}

const show = (ctx: GraphContext, status: number, m: Parameters<typeof messageToGraph>[1]) =>
  json(status, messageToGraph(ctx.mailbox, m, representation(ctx, odata(ctx))), preferenceApplied(ctx));

async function create(ctx: GraphContext, folder: Folder) {
  const draft = isMime(ctx) ? await draftFromBase64Mime(ctx.req.body.toString('utf8')) : draftFromJson(jsonBody(ctx.req));
  const m = newStoredMessage(draft, true);
  ctx.mailbox.assignConversation(m, draft.threadIndex);
  ctx.mailbox.insert(m, folder.id);
  return show(ctx, 201, m);
}

/** Author fields are writable only on drafts; flags and categories on any message. */
function update(ctx: GraphContext, id: string | undefined) {
  const m = findMessage(ctx, id);
  const patch = (jsonBody(ctx.req) ?? {}) as Record<string, unknown>;
  const changes = parseMessageJson(patch);
  const authorFields = ['subject', 'body', 'from', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'internetMessageId', 'customHeaders', 'attachments'] as const;
  if (!m.isDraft && authorFields.some((f) => changes[f] !== undefined)) {
    throw badRequest('Update operation is invalid for property of a sent message.', 'ErrorInvalidPropertyUpdateSentMessage');
  }
  const subjectChanged = changes.subject !== undefined && changes.subject !== m.subject;
  if (changes.subject !== undefined) m.subject = changes.subject;
  if (changes.body) m.body = changes.body;
  if (changes.from !== undefined) m.from = changes.from;
  if (changes.toRecipients) m.toRecipients = changes.toRecipients;
  if (changes.ccRecipients) m.ccRecipients = changes.ccRecipients;
  if (changes.bccRecipients) m.bccRecipients = changes.bccRecipients;
  if (changes.replyTo) m.replyTo = changes.replyTo;
  if (changes.internetMessageId) m.internetMessageId = changes.internetMessageId;
  if (changes.customHeaders) m.customHeaders = changes.customHeaders;
  if (changes.importance) m.importance = changes.importance;
  if (changes.categories) m.categories = changes.categories;
  if (typeof patch.isRead === 'boolean') m.isRead = patch.isRead;
  if (subjectChanged) ctx.mailbox.assignConversation(m, null);
  ctx.mailbox.touch(m);
  return show(ctx, 200, m);
}

function remove(ctx: GraphContext, id: string | undefined) {
  const m = findMessage(ctx, id);
  const trash = ctx.mailbox.wellKnown('deleteditems');
  if (m.folderId === trash.id) ctx.mailbox.remove(m);
  else ctx.mailbox.move(m, trash.id);
  return empty(204);
}

/** `permanentDelete`: gone at once, from any folder (not through Deleted Items). */
function permanentDelete(ctx: GraphContext, id: string | undefined) {
  ctx.mailbox.remove(findMessage(ctx, id));
  return empty(204);
}

function move(ctx: GraphContext, id: string | undefined) {
  const m = findMessage(ctx, id);
  const body = jsonBody(ctx.req) as { destinationId?: unknown } | undefined;
  if (typeof body?.destinationId !== 'string') throw badRequest("The 'destinationId' parameter is required.", 'ErrorInvalidRequest');
  ctx.mailbox.move(m, folderOf(ctx, body.destinationId).id);
  return show(ctx, 201, m);
}

async function mime(ctx: GraphContext, id: string | undefined) {
  return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: await messageToMime(findMessage(ctx, id)) };
}

export const messageRoutes: Route[] = [
  { name: 'user.get', method: 'GET', path: '', handler: (ctx) => json(200, { id: ctx.mailbox.userId, displayName: ctx.mailbox.displayName, mail: ctx.mailbox.address, userPrincipalName: ctx.mailbox.address }) },
  { name: 'messages.list', method: 'GET', path: 'messages', handler: (ctx) => listMessages(ctx, null) },
  { name: 'messages.list', method: 'GET', path: 'mailFolders/:folder/messages', handler: (ctx, p) => listMessages(ctx, folderOf(ctx, p.folder)) },
  { name: 'messages.create', method: 'POST', path: 'messages', handler: (ctx) => create(ctx, ctx.mailbox.wellKnown('drafts')) },
  { name: 'messages.create', method: 'POST', path: 'mailFolders/:folder/messages', handler: (ctx, p) => create(ctx, folderOf(ctx, p.folder)) },
  { name: 'messages.get', method: 'GET', path: 'messages/:id', handler: (ctx, p) => show(ctx, 200, findMessage(ctx, p.id)) },
  { name: 'messages.get', method: 'GET', path: 'mailFolders/:folder/messages/:id', handler: (ctx, p) => show(ctx, 200, findMessage(ctx, p.id)) },
  { name: 'messages.mime', method: 'GET', path: 'messages/:id/$value', handler: (ctx, p) => mime(ctx, p.id) },
  { name: 'messages.update', method: 'PATCH', path: 'messages/:id', handler: (ctx, p) => update(ctx, p.id) },
  { name: 'messages.delete', method: 'DELETE', path: 'messages/:id', handler: (ctx, p) => remove(ctx, p.id) },
  { name: 'messages.permanentDelete', method: 'POST', path: 'messages/:id/permanentDelete', handler: (ctx, p) => permanentDelete(ctx, p.id) },
  { name: 'messages.move', method: 'POST', path: 'messages/:id/move', handler: (ctx, p) => move(ctx, p.id) },
];

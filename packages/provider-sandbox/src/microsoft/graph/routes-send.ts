import { header, jsonBody } from '../http/request';
import { badRequest, empty, json } from '../http/respond';
import { newStoredMessage, type Draft } from '../mail/compose';
import { draftFromBase64Mime } from '../mail/mime';
import { messageToGraph } from '../mail/represent';
import { replyDraft, type ReplyKind } from '../mail/replies';
import { submit } from '../mail/transport';
import { findMessage, odata, preferenceApplied, representation, type GraphContext, type Route } from './context';
import { draftFromJson, parseMessageJson } from './message-input';

const isMime = (ctx: GraphContext): boolean => (header(ctx.req, 'content-type') ?? '').toLowerCase().startsWith('text/plain');

type Json = Record<string, unknown>;

function sendDraft(ctx: GraphContext, id: string | undefined) {
  const m = findMessage(ctx, id);
  if (!m.isDraft) throw badRequest('Only draft messages can be sent.', 'ErrorInvalidOperation');
  submit(ctx.services.state, ctx.mailbox, m, true, ctx.services.sendHooks);
  return empty(202);
}

async function sendMail(ctx: GraphContext) {
  let draft: Draft;
  let save = true;
  if (isMime(ctx)) draft = await draftFromBase64Mime(ctx.req.body.toString('utf8'));
  else {
    const body = (jsonBody(ctx.req) ?? {}) as Json;
    if (body.message === undefined) throw badRequest("The 'message' parameter is required.", 'ErrorInvalidRequest');
    draft = draftFromJson(body.message);
    if (body.saveToSentItems === false || body.saveToSentItems === 'false') save = false;
  }
  const m = newStoredMessage(draft, false);
  ctx.mailbox.assignConversation(m, draft.threadIndex);
  submit(ctx.services.state, ctx.mailbox, m, save, ctx.services.sendHooks);
  return empty(202);
}

/** The reply/forward draft with the caller's comment and message overrides applied. */
async function prepareReply(ctx: GraphContext, id: string | undefined, kind: ReplyKind): Promise<Draft> {
  const original = findMessage(ctx, id);
  if (isMime(ctx)) {
    const mime = await draftFromBase64Mime(ctx.req.body.toString('utf8'));
    return { ...mime, inReplyTo: mime.inReplyTo ?? original.internetMessageId, references: mime.references.length ? mime.references : [...original.references, original.internetMessageId] };
  }
  const body = (jsonBody(ctx.req) ?? {}) as Json;
  const overrides = body.message === undefined ? {} : parseMessageJson(body.message);
  const comment = typeof body.comment === 'string' ? body.comment : '';
  if (comment && overrides.body) throw badRequest('Specify either a comment or the body property of the message parameter, not both.', 'ErrorInvalidRequest');
  const draft = { ...replyDraft(ctx.mailbox, original, kind, comment), ...overrides };
  if (Array.isArray(body.toRecipients)) draft.toRecipients = parseMessageJson({ toRecipients: body.toRecipients }).toRecipients ?? [];
  return draft;
}

async function replyNow(ctx: GraphContext, id: string | undefined, kind: ReplyKind) {
  const draft = await prepareReply(ctx, id, kind);
  const m = newStoredMessage(draft, false);
  ctx.mailbox.assignConversation(m, null);
  submit(ctx.services.state, ctx.mailbox, m, true, ctx.services.sendHooks);
  return empty(202);
}

async function createReply(ctx: GraphContext, id: string | undefined, kind: ReplyKind) {
  const draft = await prepareReply(ctx, id, kind);
  const m = newStoredMessage(draft, true);
  ctx.mailbox.assignConversation(m, null);
  ctx.mailbox.insert(m, ctx.mailbox.wellKnown('drafts').id);
  return json(201, messageToGraph(ctx.mailbox, m, representation(ctx, odata(ctx))), preferenceApplied(ctx));
}

const replyRoutes = ([['reply', 'reply', 'createReply'], ['replyAll', 'replyAll', 'createReplyAll'], ['forward', 'forward', 'createForward']] as const).flatMap(
  ([kind, action, create]): Route[] => [
    { name: `messages.${action}`, method: 'POST', path: `messages/:id/${action}`, handler: (ctx, p) => replyNow(ctx, p.id, kind) },
    { name: `messages.${create}`, method: 'POST', path: `messages/:id/${create}`, handler: (ctx, p) => createReply(ctx, p.id, kind) },
  ],
);

export const sendRoutes: Route[] = [
  { name: 'messages.send', method: 'POST', path: 'messages/:id/send', handler: (ctx, p) => sendDraft(ctx, p.id) },
  { name: 'sendMail', method: 'POST', path: 'sendMail', handler: (ctx) => sendMail(ctx) },
  ...replyRoutes,
];

import type { gmail_v1 } from 'googleapis';
import { GoogleApiError, invalidArgument, notFound } from '../http/google-errors';
import type { GmailMethod } from '../limits/quota';
import type { StoredMessage } from '../mail/message';
import { messageRef, messageResource, parseFormat, type MessageFormat } from '../mail/message-resource';
import { findPart } from '../mail/mime-tree';
import { metadataOnly } from '../oauth/scopes';
import type { SandboxState } from '../state';
import type { GmailCall, GmailHandler } from './call';
import { checkId, jsonBody, stringList } from './params';

export type GmailRoute = [method: string, path: string, gmailMethod: GmailMethod, handler: GmailHandler];

const USER = '/gmail/v1/users/:userId';

export function formatFor(call: GmailCall): MessageFormat {
  const format = parseFormat(call.url.searchParams.get('format'));
  if (!format) throw invalidArgument(`Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.Format), "${call.url.searchParams.get('format')}"`);
  if ((format === 'full' || format === 'raw') && metadataOnly(call.grant.scopes)) {
    throw new GoogleApiError(403, `Metadata scope doesn't allow format ${format.toUpperCase()}`, 'forbidden');
  }
  return format;
}

export function render(call: GmailCall, message: StoredMessage, format: MessageFormat): gmail_v1.Schema$Message {
  return messageResource(message, {
    format,
    metadataHeaders: call.url.searchParams.getAll('metadataHeaders'),
    mintAttachmentId: (messageId, partId) => call.account.attachments.mint(messageId, partId),
  });
}

function getMessage(call: GmailCall): gmail_v1.Schema$Message {
  const format = formatFor(call);
  return render(call, call.account.store.require(checkId(call.params.id!)), format);
}

function getAttachment(call: GmailCall): gmail_v1.Schema$MessagePartBody {
  const message = call.account.store.require(checkId(call.params.messageId!));
  const ref = call.account.attachments.resolve(call.params.id!);
  if (!ref || ref.messageId !== message.id) throw invalidArgument('Invalid attachment token');
  const part = findPart(message.tree, ref.partId);
  if (!part) throw notFound();
  return { size: part.content.length, data: part.content.toString('base64url') };
}

function labelsView(m: StoredMessage): gmail_v1.Schema$Message {
  return { ...messageRef(m), labelIds: [...m.labelIds] };
}

function modifyWith(add: string[], remove: string[]) {
  return (call: GmailCall) => labelsView(call.account.store.modify(checkId(call.params.id!), add, remove));
}

export function messageRoutes(state: SandboxState): GmailRoute[] {
  return [
    ['GET', `${USER}/messages/:id`, 'messages.get', getMessage],
    ['GET', `${USER}/messages/:messageId/attachments/:id`, 'messages.attachments.get', getAttachment],
    [
      'POST',
      `${USER}/messages/:id/modify`,
      'messages.modify',
      async (call) => {
        const body = await jsonBody(state, call);
        return modifyWith(stringList(body.addLabelIds), stringList(body.removeLabelIds))(call);
      },
    ],
    ['POST', `${USER}/messages/:id/trash`, 'messages.trash', modifyWith(['TRASH'], [])],
    ['POST', `${USER}/messages/:id/untrash`, 'messages.untrash', modifyWith([], ['TRASH'])],
    [
      'DELETE',
      `${USER}/messages/:id`,
      'messages.delete',
      (call) => {
        call.account.store.delete(checkId(call.params.id!));
        return null;
      },
    ],
  ];
}

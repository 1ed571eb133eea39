import type { Services } from '../graph/context';
import { newInternetMessageId } from '../ids';
import { attachmentsOf, emptyDraft, parseAddress, recipient, recipientsOf, newStoredMessage, type Draft } from '../mail/compose';
import { transportHeaders } from '../mail/headers';
import type { Mailbox } from '../mail/mailbox';
import type { StoredMessage } from '../mail/model';
import { fullMessage } from '../mail/represent';
import { replyDraft } from '../mail/replies';
import { submit } from '../mail/transport';
import type { DeliverInput, GraphSandboxControl, MessageRef, SandboxMessageView, SendAsOwnerInput } from '../types';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Scopes a CRM asks for when connecting an Outlook mailbox. */
const DEFAULT_SCOPES = ['openid', 'profile', 'offline_access', 'https://graph.microsoft.com/Mail.ReadWrite', 'https://graph.microsoft.com/Mail.Send', 'https://graph.microsoft.com/User.Read'];

const ref = (m: StoredMessage): MessageRef => ({ id: m.restId, immutableId: m.immutableId, conversationId: m.conversationId, internetMessageId: m.internetMessageId });

const bodyOf = (text?: string, html?: string): Draft['body'] => (html !== undefined ? { contentType: 'html', content: html } : { contentType: 'text', content: text ?? '' });

function mailboxOf(services: Services, address: string): Mailbox {
  const mailbox = services.state.mailbox(address);
  if (!mailbox) throw new ControlError(404, `no sandbox account ${address}`);
  return mailbox;
}

function messageOf(mailbox: Mailbox, id: string): StoredMessage {
  const m = mailbox.find(id);
  if (!m) throw new ControlError(404, `no message ${id} in ${mailbox.address}`);
  return m;
}

const splitIds = (v: string[] | string | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean));

/** An outside message arriving in the Inbox (or the folder a rule files it in), with the headers a transported message has. */
function deliver(services: Services, to: string, input: DeliverInput): MessageRef {
  const mailbox = mailboxOf(services, to);
  const target = input.folder ? mailbox.folder(input.folder) : mailbox.wellKnown('inbox');
  if (!target) throw new ControlError(404, `no folder ${input.folder} in ${to}`);
  const from = parseAddress(input.from);
  const { 'Thread-Index': threadIndex, ...extra } = input.headers ?? {};
  const draft: Draft = {
    ...emptyDraft(),
    subject: input.subject ?? '',
    body: bodyOf(input.text, input.html),
    from: { emailAddress: from },
    toRecipients: recipientsOf(input.to ?? [to]),
    ccRecipients: recipientsOf(input.cc),
    internetMessageId: input.internetMessageId ?? newInternetMessageId().replace(/@.*>$/, `@${from.address.split('@')[1] ?? 'mail.example'}>`),
    inReplyTo: input.inReplyTo ?? null,
    references: splitIds(input.references),
    attachments: attachmentsOf(input.attachments),
  };
  const m = newStoredMessage(draft, false);
  m.isRead = false;
  m.receivedDateTime = input.receivedDateTime ?? m.receivedDateTime;
  m.sentDateTime = m.receivedDateTime;
  mailbox.assignConversation(m, threadIndex ? Buffer.from(threadIndex, 'base64') : null);
  m.transportHeaders = transportHeaders(m, extra);
  mailbox.insert(m, target.id);
  return ref(m);
}

/** What the owner does in Outlook: reply (to all), forward or a new mail; sent and delivered like Graph sends. */
function sendAsOwner(services: Services, address: string, input: SendAsOwnerInput): MessageRef {
  const owner = mailboxOf(services, address);
  const source = input.replyToId ?? input.forwardOf;
  const kind = input.forwardOf ? 'forward' : input.replyAll ? 'replyAll' : 'reply';
  const draft: Draft = source
    ? replyDraft(owner, messageOf(owner, source), kind, input.text ?? '')
    : { ...emptyDraft(), subject: input.subject ?? '', body: bodyOf(input.text, input.html), from: recipient(owner.address, owner.displayName) };
  if (source && input.html !== undefined) draft.body = { contentType: 'html', content: input.html };
  if (input.subject !== undefined) draft.subject = input.subject;
  if (input.to) draft.toRecipients = recipientsOf(input.to);
  if (input.cc) draft.ccRecipients = recipientsOf(input.cc);
  if (input.bcc) draft.bccRecipients = recipientsOf(input.bcc);
  if (input.internetMessageId) draft.internetMessageId = input.internetMessageId;
  draft.attachments = [...draft.attachments, ...attachmentsOf(input.attachments)];
  const m = newStoredMessage(draft, false);
  owner.assignConversation(m, null);
  // Sends the owner makes in Outlook are not API sends: `sendsAccepted` counts only the latter, as on Gmail.
  return ref(submit(services.state, owner, m, true, { onSend: () => undefined }));
}

function listMessages(services: Services, address: string, folder?: string): SandboxMessageView[] {
  const mailbox = mailboxOf(services, address);
  const target = folder ? mailbox.folder(folder) : undefined;
  if (folder && !target) throw new ControlError(404, `no folder ${folder} in ${address}`);
  return mailbox
    .list(target?.id)
    .sort((a, b) => a.receivedDateTime.localeCompare(b.receivedDateTime) || a.arrival - b.arrival)
    .map((m) => ({
      ...fullMessage(mailbox, m, false),
      id: m.restId,
      immutableId: m.immutableId,
      folder: mailbox.folders.get(m.folderId)?.wellKnownName ?? m.folderId,
      conversationId: m.conversationId,
      internetMessageId: m.internetMessageId,
      subject: m.subject,
    }));
}

export function createControl(services: Services): GraphSandboxControl {
  const { state, config } = services;
  return {
    createAccount: async (address, options) => {
      const mailbox = state.ensureMailbox(address, options?.displayName);
      const refreshToken = state.grants.issueRefresh(mailbox.userId, config.clientId, DEFAULT_SCOPES);
      return { address: mailbox.address, userId: mailbox.userId, refreshToken, clientId: config.clientId, clientSecret: config.clientSecret, tenant: config.tenant };
    },
    deliver: async (to, input) => deliver(services, to, input),
    sendAsOwner: async (address, input) => sendAsOwner(services, address, input),
    listMessages: async (address, options) => listMessages(services, address, options?.folder),
    revoke: async (address) => state.grants.revokeUser(mailboxOf(services, address).userId),
    expireDeltaTokens: async (address) => mailboxOf(services, address).syncStates.evictAll(),
    triggerLifecycle: (id, event) => services.subscriptions.triggerLifecycle(id, event),
    injectFaults: async (spec) => {
      try {
        services.faults.add(spec);
      } catch (err) {
        throw new ControlError(400, (err as Error).message);
      }
    },
    clearFaults: async () => services.faults.clear(),
    counters: async (address) => services.counters.snapshot(mailboxOf(services, address).address),
    resetCounters: async (address) => services.counters.reset(address),
    subscriptions: async (address) => services.subscriptions.list(mailboxOf(services, address).address).map((s) => services.subscriptions.info(s)),
  };
}

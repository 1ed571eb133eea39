import { userRateLimited } from './errors';
import { deliverTo, sendFrom } from './mail/delivery';
import { gmailMessageId } from './mail/headers';
import { ownerDraft } from './mail/owner-draft';
import { asList, composeRaw, removeHeader } from './mime/compose';
import { ControlError, type SandboxState } from './state';
import type { DeliverInput, GmailSandboxControl, MessageRef, SandboxMessageDetail } from './types';
import { sandboxMessage } from './view';

type MailControl = Pick<GmailSandboxControl, 'deliver' | 'deliverRaw' | 'sendAsOwner' | 'listMessages' | 'getMessage' | 'modifyLabels' | 'deleteMessage'>;

/** Control operations on mail: arrivals from outside, sends from the owner's mail client, inspection. */
export function createMailControl(state: SandboxState): MailControl {
  const message = (address: string, id: string) => {
    const found = state.mailbox(address).messages.get(id);
    if (!found) throw new ControlError(`no message ${id} in ${address}`, 404);
    return found;
  };

  return {
    async deliver(to, input) {
      const targets = asList(to).map((t) => state.mailbox(t).address);
      if (targets.length === 0) throw new ControlError('deliver needs at least one target account');
      return deliverInbound(state, targets, input);
    },
    async deliverRaw(to, input) {
      const targets = asList(to).map((t) => state.mailbox(t).address);
      if (targets.length === 0) throw new ControlError('deliverRaw needs at least one target account');
      const raw = Buffer.isBuffer(input.raw) ? input.raw : Buffer.from(input.raw ?? '', 'base64');
      if (raw.length === 0) throw new ControlError('deliverRaw needs the raw message');
      const date = input.date === undefined ? new Date() : new Date(input.date);
      if (Number.isNaN(date.getTime())) throw new ControlError(`invalid date: ${String(input.date)}`);
      const copies = await deliverTo(state, targets, raw, date.getTime());
      const stored = state.mailbox(copies[0]!.address).messages.get(copies[0]!.messageId)!;
      return { messageId: stored.id, threadId: stored.threadId, rfcMessageId: stored.mail.rfcMessageId, copies };
    },
    sendAsOwner: async (address, input) => {
      const sender = state.mailbox(address);
      const window = state.sendWindow(sender.address);
      const fits = window.check(Date.now(), 1, state.config.dailySendLimit);
      if (!fits.ok) throw userRateLimited(new Date(fits.retryAt), ' (Mail sending)');
      const draft = await ownerDraft(sender, input);
      const { message: sent, copies } = await sendFrom(state, sender, draft.raw, draft.threadId);
      window.spend(Date.now(), 1);
      return { messageId: sent.id, threadId: sent.threadId, rfcMessageId: sent.mail.rfcMessageId, copies };
    },
    listMessages(address, opts = {}) {
      const all = [...state.mailbox(address).messages.values()].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
      return all.filter((m) => !opts.label || m.labelIds.has(opts.label)).map(sandboxMessage);
    },
    getMessage(address, id): SandboxMessageDetail {
      const m = message(address, id);
      return { ...sandboxMessage(m), raw: m.raw.toString('base64url'), text: m.mail.text };
    },
    modifyLabels(address, id, add = [], remove = []) {
      return sandboxMessage(state.mailbox(address).modify(message(address, id).id, add, remove)!);
    },
    deleteMessage(address, id) {
      state.mailbox(address).remove(message(address, id).id);
    },
  };
}

async function deliverInbound(state: SandboxState, targets: string[], input: DeliverInput): Promise<MessageRef> {
  const date = input.date === undefined ? new Date() : new Date(input.date);
  if (Number.isNaN(date.getTime())) throw new ControlError(`invalid date: ${String(input.date)}`);
  if (!input.from) throw new ControlError('deliver needs a from address');
  const raw = await composeRaw({
    ...input,
    to: input.to ?? targets,
    references: input.references === undefined ? undefined : asList(input.references),
    messageId: input.messageId ?? gmailMessageId(),
    date,
  });
  const copies = await deliverTo(state, targets, removeHeader(raw, 'Bcc'), date.getTime());
  const first = copies[0]!;
  const stored = state.mailbox(first.address).messages.get(first.messageId)!;
  return { messageId: first.messageId, threadId: first.threadId, rfcMessageId: stored.mail.rfcMessageId, copies };
}

import { composeRaw, asList, removeHeader } from './mime/compose';
import { deliverTo, sendFrom } from './mail/delivery';
import { gmailMessageId } from './mail/headers';
import { ownerDraft } from './mail/owner-draft';
import { ControlError, type SandboxState } from './state';
import { sandboxMessage } from './view';
import { userRateLimited } from './errors';
import type { AccountGrant, DeliverInput, FaultSpec, GmailSandboxControl, MessageRef, SandboxMessageDetail, WatchState } from './types';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** The control API over one sandbox's state; the HTTP control routes call the same object. */
export function createControl(state: SandboxState): GmailSandboxControl {
  const { config } = state;
  const grant = (address: string): AccountGrant => ({
    address,
    refreshToken: state.tokens.issueRefreshToken(address, config.clientId),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
  });
  const message = (address: string, id: string) => {
    const found = state.mailbox(address).messages.get(id);
    if (!found) throw new ControlError(`no message ${id} in ${address}`, 404);
    return found;
  };

  return {
    createAccount(address, opts = {}) {
      if (!ADDRESS.test(address)) throw new ControlError(`not an email address: ${address}`);
      const mailbox = state.createMailbox(address, opts.name ?? '');
      return grant(mailbox.address);
    },
    issueGrant: (address) => grant(state.mailbox(address).address),
    accounts: () => [...state.mailboxes.keys()],

    async deliver(to, input) {
      const targets = asList(to).map((t) => state.mailbox(t).address);
      if (targets.length === 0) throw new ControlError('deliver needs at least one target account');
      return deliverInbound(state, targets, input);
    },

    async sendAsOwner(address, input) {
      const sender = state.mailbox(address);
      const spent = state.sendWindow(sender.address).trySpend(Date.now(), 1, config.dailySendLimit);
      if (!spent.ok) throw userRateLimited(new Date(spent.retryAt), ' (Mail sending)');
      const draft = await ownerDraft(sender, input);
      const result = await sendFrom(state, sender, draft.raw, draft.threadId);
      return { messageId: result.message.id, threadId: result.message.threadId, rfcMessageId: result.message.mail.rfcMessageId, copies: result.copies };
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
      message(address, id);
      return sandboxMessage(state.mailbox(address).modify(id, add, remove)!);
    },
    deleteMessage(address, id) {
      message(address, id);
      state.mailbox(address).remove(id);
    },

    revoke: (address) => state.tokens.revokeAccount(state.mailbox(address).address),
    expireAccessTokens: (address) => state.tokens.expireAccessTokens(state.mailbox(address).address),
    expireHistory: (address) => state.mailbox(address).expireHistory(),
    currentHistoryId: (address) => String(state.mailbox(address).historyId),

    injectFaults(spec: FaultSpec | FaultSpec[]) {
      for (const one of Array.isArray(spec) ? spec : [spec]) state.faults.add(one);
    },
    clearFaults: () => state.faults.clear(),
    counters: (address) => state.counters.snapshot(state.mailbox(address).address),
    resetCounters: (address) => state.counters.reset(address ? state.mailbox(address).address : undefined),
    setPushEndpoint: (url, audience) => state.pusher.setEndpoint(url, audience),
    watchState: (address) => watchState(state, address),
    pushesSettled: () => state.pusher.settled(),
  };
}

function watchState(state: SandboxState, address: string): WatchState {
  const watch = state.mailbox(address).watch;
  const active = watch !== null && watch.expiration > Date.now();
  return {
    active,
    expiration: watch ? new Date(watch.expiration).toISOString() : null,
    topicName: watch?.topicName ?? null,
    labelIds: watch?.labelIds ?? [],
    labelFilterBehavior: watch?.labelFilterBehavior ?? null,
  };
}

async function deliverInbound(state: SandboxState, targets: string[], input: DeliverInput): Promise<MessageRef> {
  const date = input.date === undefined ? new Date() : new Date(input.date);
  if (Number.isNaN(date.getTime())) throw new ControlError(`invalid date: ${String(input.date)}`);
  const rfcMessageId = input.messageId ?? gmailMessageId();
  const raw = await composeRaw({
    ...input,
    to: input.to ?? targets,
    references: input.references === undefined ? undefined : asList(input.references),
    messageId: rfcMessageId,
    date,
  });
  const copies = await deliverTo(state, targets, removeHeader(raw, 'Bcc'), date.getTime());
  const first = copies[0]!;
  const stored = state.mailbox(first.address).messages.get(first.messageId)!;
  return { messageId: first.messageId, threadId: first.threadId, rfcMessageId: stored.mail.rfcMessageId, copies };
}

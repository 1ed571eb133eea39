import { GoogleApiError } from '../http/google-errors';
import { copyCounters, emptyCounters } from '../limits/counters';
import { asList, composeRaw, type AddressInput } from '../mail/compose';
import type { StoredMessage } from '../mail/message';
import { deliverInbound, sendAsAccount } from '../mail/transport';
import { DEFAULT_GRANT_SCOPES } from '../oauth/scopes';
import { SandboxError, type Account, type SandboxState } from '../state';
import { ownerCompose } from './owner-compose';
import type { DeliverInput, DeliverResult, GmailSandboxControl } from './types';
import { messageView, watchView } from './views';

const FAULT_STATUSES: number[] = [403, 429, 500, 502, 503, 504];

const addressOf = (a: AddressInput) => (typeof a === 'string' ? a : a.address);

function result(first: StoredMessage, copies: { account: Account; message: StoredMessage }[]): DeliverResult {
  return {
    messageId: first.id,
    threadId: first.threadId,
    rfcMessageId: first.summary.rfcMessageId,
    copies: copies.map((c) => ({ address: c.account.address, messageId: c.message.id, threadId: c.message.threadId })),
  };
}

/** Gmail errors raised by sends (limits, bad thread) reach control callers as SandboxErrors. */
async function asControlError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GoogleApiError) throw new SandboxError('bad_request', `${err.reason}: ${err.message}`);
    throw err;
  }
}

async function deliver(state: SandboxState, to: string | string[], input: DeliverInput): Promise<DeliverResult> {
  const targets = (Array.isArray(to) ? to : [to]).map((a) => state.requireAccount(a));
  if (targets.length === 0) throw new SandboxError('bad_request', 'deliver needs at least one sandbox recipient');
  const date = input.date === undefined ? Date.now() : new Date(input.date).getTime();
  if (Number.isNaN(date)) throw new SandboxError('bad_request', `invalid date: ${String(input.date)}`);
  const raw = await composeRaw({ ...input, to: input.to ?? targets.map((t) => t.address), bcc: undefined, date });
  const copies = [];
  for (const account of targets) copies.push({ account, message: await deliverInbound(account, raw, date) });
  return result(copies[0]!.message, copies);
}

async function sendAsOwner(state: SandboxState, address: string, input: Parameters<GmailSandboxControl['sendAsOwner']>[1]): Promise<DeliverResult> {
  const account = state.requireAccount(address);
  const { compose, threadId } = ownerCompose(account, input);
  const raw = await composeRaw(compose);
  const sent = await asControlError(() => sendAsAccount(state, account, raw, { requestedThreadId: threadId, now: Date.now() }));
  const copies = [{ account, message: sent }];
  const recipients = [...asList(compose.to), ...asList(compose.cc), ...asList(compose.bcc)].map((a) => addressOf(a).toLowerCase());
  for (const other of new Set(recipients)) {
    const target = state.account(other);
    const copy = target && target !== account ? target.store.all().find((m) => m.summary.rfcMessageId === sent.summary.rfcMessageId) : undefined;
    if (target && copy) copies.push({ account: target, message: copy });
  }
  return result(sent, copies);
}

export function createControl(state: SandboxState): GmailSandboxControl {
  const message = (address: string, id: string) => {
    const m = state.requireAccount(address).store.get(id);
    if (!m) throw new SandboxError('not_found', `no message ${id} in ${address}`);
    return m;
  };
  return {
    createAccount(address, opts = {}) {
      const account = state.ensureAccount(address, opts.name);
      if (opts.name !== undefined) account.name = opts.name;
      const grant = state.grants.createGrant(account.address, state.options.clientId, DEFAULT_GRANT_SCOPES, 'control');
      return { address: account.address, refreshToken: grant.refreshToken, clientId: state.options.clientId, clientSecret: state.options.clientSecret };
    },
    listAccounts: () => [...state.accounts.values()].map((a) => ({ address: a.address, name: a.name })),
    deliver: (to, input) => deliver(state, to, input),
    sendAsOwner: (address, input) => sendAsOwner(state, address, input),
    listMessages(address, opts = {}) {
      const all = state.requireAccount(address).store.all();
      return all.filter((m) => !opts.label || m.labelIds.includes(opts.label)).map(messageView);
    },
    getMessage: (address, id) => messageView(message(address, id)),
    getRaw: (address, id) => Buffer.from(message(address, id).raw),
    revoke: (address) => void state.grants.revokeAccount(state.requireAccount(address).address),
    expireAccessTokens: (address) => state.grants.expireAccessTokens(state.requireAccount(address).address),
    expireHistory: (address) => state.requireAccount(address).store.history.expireAll(),
    historyId: (address) => String(state.requireAccount(address).store.history.current),
    modifyLabels(address, id, add = [], remove = []) {
      message(address, id);
      const account = state.requireAccount(address);
      try {
        return messageView(account.store.modify(id, add, remove));
      } catch (err) {
        if (err instanceof GoogleApiError) throw new SandboxError('bad_request', err.message);
        throw err;
      }
    },
    injectFaults: (spec) => {
      if (spec.account) state.requireAccount(spec.account);
      if (spec.status !== undefined && !FAULT_STATUSES.includes(spec.status)) throw new SandboxError('bad_request', `fault status must be one of ${FAULT_STATUSES.join(', ')}`);
      if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0)) throw new SandboxError('bad_request', 'latencyMs must be zero or more');
      try {
        return { id: state.faults.add(spec) };
      } catch (err) {
        throw new SandboxError('bad_request', (err as Error).message);
      }
    },
    clearFaults: () => state.faults.clear(),
    counters: (address) => copyCounters(state.requireAccount(address).counters),
    resetCounters(address) {
      const accounts = address ? [state.requireAccount(address)] : [...state.accounts.values()];
      for (const a of accounts) a.counters = emptyCounters();
    },
    setPushEndpoint(url, audience) {
      state.pushTarget = url ? { url, audience: audience ?? url } : null;
    },
    watchState(address) {
      const account = state.requireAccount(address);
      return watchView(account.watch, state.activeWatch(account) !== null);
    },
  };
}

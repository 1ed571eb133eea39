import { createMailControl } from './control-mail';
import { ControlError, type SandboxState } from './state';
import type { AccountGrant, FaultSpec, GmailSandboxControl, WatchState } from './types';

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
  const account = (address: string) => state.mailbox(address).address;

  return {
    ...createMailControl(state),
    createAccount(address, opts = {}) {
      if (!ADDRESS.test(address)) throw new ControlError(`not an email address: ${address}`);
      return grant(state.createMailbox(address, opts.name ?? '').address);
    },
    issueGrant: (address) => grant(account(address)),
    accounts: () => [...state.mailboxes.keys()],
    revoke: (address) => state.tokens.revokeAccount(account(address)),
    expireAccessTokens: (address) => state.tokens.expireAccessTokens(account(address)),
    expireHistory: (address) => state.mailbox(address).expireHistory(),
    currentHistoryId: (address) => String(state.mailbox(address).historyId),
    injectFaults(spec: FaultSpec | FaultSpec[]) {
      try {
        state.faults.add(spec);
      } catch (err) {
        throw new ControlError((err as Error).message);
      }
    },
    clearFaults: () => state.faults.clear(),
    counters: (address) => state.counters.snapshot(account(address)),
    resetCounters: (address) => state.counters.reset(address ? account(address) : undefined),
    setPushEndpoint: (url, audience) => state.pusher.setEndpoint(url, audience),
    setPushIdentity: (identity) => state.pusher.setIdentity(identity),
    watchState: (address) => watchState(state, address),
    pushesSettled: () => state.pusher.settled(),
  };
}

function watchState(state: SandboxState, address: string): WatchState {
  const watch = state.mailbox(address).watch;
  return {
    active: watch !== null && watch.expiration > Date.now(),
    expiration: watch ? new Date(watch.expiration).toISOString() : null,
    topicName: watch?.topicName ?? null,
    labelIds: watch?.labelIds ?? [],
    labelFilterBehavior: watch?.labelFilterBehavior ?? null,
  };
}

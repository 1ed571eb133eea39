import {
  allHandlersFinished,
  proxyActivities,
  condition,
  continueAsNew,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { connectSignal, disconnectSignal, notifySignal, stateQuery } from './messages';
import { MailboxAddress, MailboxLocations, MailboxProvider, MailboxStatus } from './search-attributes';
import type { Activities } from '../activities';
import { addBinding, locationsOf, removeBinding, type MailboxState, type MailboxWorkflowInput } from './state';

/** Bookkeeping writes to Postgres: short, and retried until the database answers. */
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One workflow per provider account. It decides when and whether to talk to the provider;
 * activities do the IO and the rules module decides where each message goes.
 */
export async function mailboxWorkflow(input: MailboxWorkflowInput): Promise<MailboxState> {
  const state = input.state;
  let messagesThisRun = 0;
  let lastBindingLeft = false;

  setHandler(connectSignal, ({ binding, newCredentials }) => {
    messagesThisRun++;
    state.counters.signals++;
    addBinding(state, binding);
    if (newCredentials && state.status === 'needs_reauth') state.status = 'active';
    state.syncRequested = true;
  });
  setHandler(disconnectSignal, ({ connectionId }) => {
    messagesThisRun++;
    state.counters.signals++;
    if (removeBinding(state, connectionId) && state.bindings.length === 0) lastBindingLeft = true;
  });
  setHandler(notifySignal, () => {
    messagesThisRun++;
    state.counters.signals++;
    state.counters.notifies++;
    state.syncRequested = true;
  });
  setHandler(stateQuery, () => state);

  const attributes = createAttributePublisher(state);
  attributes.publish();

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested || messagesThisRun >= input.maxMessagesPerRun;

  for (;;) {
    await condition(() => lastBindingLeft || shouldContinueAsNew() || state.syncRequested);
    state.syncRequested = false;
    attributes.publish();
    if (lastBindingLeft) {
      state.status = 'disconnected';
      attributes.publish();
      await bookkeeping.recordAccountStatus({ accountId: state.accountId, status: 'disconnected' });
      await condition(allHandlersFinished);
      return state;
    }
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      state.counters.runs++;
      await continueAsNew<typeof mailboxWorkflow>({ ...input, state });
    }
  }
}

/** Upserts search attributes only when they change: each upsert is a history event. */
function createAttributePublisher(state: MailboxState) {
  let last = '';
  return {
    publish(): void {
      const locations = locationsOf(state);
      const key = JSON.stringify([state.status, locations]);
      if (key === last) return;
      last = key;
      upsertSearchAttributes([
        { key: MailboxProvider, value: state.provider },
        { key: MailboxAddress, value: state.address },
        { key: MailboxStatus, value: state.status },
        { key: MailboxLocations, value: locations },
      ]);
    },
  };
}

import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { connectSignal, disconnectSignal, messageFlagsUpdate, notifySignal, sendUpdate, stateQuery } from './definitions';
import { setMessageFlags, validateMessageFlags } from './mailbox-flags';
import { send, settleSendsInDoubt, validateSend } from './mailbox-sends';
import {
  auditDrift, canSync, continueAsNewNow, dueFor, iso, markDisconnected, nextWake, now, openMailbox, reconnectedWhileFinishing,
  renewWatch, runSync, shouldContinueAsNew, showDetails, startServing, stopWatch,
} from './mailbox-steps';
import { addBinding, removeBinding, type MailboxState, type MailboxWorkflowInput } from './state';

/**
 * One workflow per provider account. It decides when and whether to talk to the provider;
 * activities do the IO and the rules module decides where each message goes. This file is the
 * outline: the handlers and the main loop; the steps are in `mailbox-steps.ts` and `mailbox-sends.ts`.
 */
export async function mailboxWorkflow(input: MailboxWorkflowInput): Promise<MailboxState> {
  const mailbox = openMailbox(input);
  const { state } = mailbox;

  setHandler(connectSignal, ({ binding, newCredentials, sendLimit }) => {
    mailbox.messagesThisRun++;
    state.counters.signals++;
    addBinding(state, binding);
    mailbox.log.info('connection bound', { connectionId: binding.connectionId, newCredentials });
    if (sendLimit) state.sendLimit = sendLimit;
    if (newCredentials && state.status === 'needs_reauth') {
      state.status = 'active';
      state.lastError = null;
    }
    state.syncRequested = true;
  });
  setHandler(disconnectSignal, ({ connectionId }) => {
    mailbox.messagesThisRun++;
    state.counters.signals++;
    const removed = removeBinding(state, connectionId);
    if (removed) mailbox.log.info('connection unbound', { connectionId });
    if (removed && state.bindings.length === 0) mailbox.lastBindingLeft = true;
  });
  setHandler(notifySignal, ({ lifecycle }) => {
    mailbox.messagesThisRun++;
    state.counters.signals++;
    state.counters.notifies++;
    state.pushHealthy = true;
    state.syncRequested = true;
    // Graph asks for the subscription to be reauthorized or recreated: renew it now.
    if (lifecycle === 'reauthorizationRequired' || lifecycle === 'subscriptionRemoved') state.watchRenewAt = iso(now());
  });
  setHandler(stateQuery, () => state);
  setHandler(
    sendUpdate,
    (args) => {
      mailbox.messagesThisRun++;
      return send(mailbox, args);
    },
    { validator: (args) => validateSend(state, args) },
  );
  setHandler(
    messageFlagsUpdate,
    (args) => {
      mailbox.messagesThisRun++;
      return setMessageFlags(mailbox, args);
    },
    { validator: (args) => validateMessageFlags(state, args) },
  );

  /** The main loop: sync, watch, audit and settle sends until the last binding leaves. */
  async function serve(): Promise<void> {
    startServing(mailbox);
    for (;;) {
      mailbox.attributes.publish();
      // A run continued as new after its last binding left has nothing to serve.
      if (mailbox.lastBindingLeft || (state.bindings.length === 0 && patched('no-bindings-ends-run'))) return;
      if (shouldContinueAsNew(mailbox)) await continueAsNewNow(mailbox);
      if (state.status !== 'needs_reauth') {
        if (state.watchRenewAt === null || dueFor(mailbox, 'watch', state.watchRenewAt)) await renewWatch(mailbox);
        const polled = dueFor(mailbox, 'poll', state.nextPollAt) && !state.syncRequested;
        if (polled) state.syncRequested = true;
        if (state.syncRequested && canSync(mailbox)) await runSync(mailbox, polled);
        if (dueFor(mailbox, 'audit', state.nextAuditAt) && state.status === 'active') await auditDrift(mailbox);
        if (state.sendsInDoubt.length && state.status === 'active') await settleSendsInDoubt(mailbox);
      }
      const wakeInMs = nextWake(mailbox);
      showDetails(mailbox, iso(now() + wakeInMs));
      await condition(() => mailbox.lastBindingLeft || shouldContinueAsNew(mailbox) || (state.syncRequested && canSync(mailbox)), wakeInMs);
    }
  }

  // The last binding left: stop the push watch and finish, unless a connect arrived meanwhile.
  for (;;) {
    await serve();
    await condition(allHandlersFinished);
    await stopWatch(mailbox);
    if (await reconnectedWhileFinishing(mailbox)) continue;
    await markDisconnected(mailbox);
    if (await reconnectedWhileFinishing(mailbox)) continue;
    return state;
  }
}

import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { wakeWebhookSignal, type WebhookEndpointInput } from './webhook-definitions';

/**
 * Delivery of the webhook feed to one endpoint, so one endpoint's failures never hold up another
 * and its events go out in order. The activity does one batch and says what to do next: stop (the
 * endpoint was deleted, disabled or gave up), or wait (poll interval when caught up, the backoff
 * after a failure, 0 when there is more). A wake signal cuts any wait short; the API sends it on
 * every change, starting the workflow again if it had stopped.
 */
const delivering = proxyActivities<Activities>({
  // A batch starts no new POST after its budget (30 s by default) and each POST has its own timeout.
  startToCloseTimeout: '2 minutes',
  // Failures here are Postgres being unavailable (HTTP failures are results): retry until it answers.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const BATCHES_PER_RUN = 500;

export async function webhookEndpointWorkflow(input: WebhookEndpointInput): Promise<void> {
  let woken = false;
  setHandler(wakeWebhookSignal, () => {
    woken = true;
  });
  const batches = input.batchesPerRun ?? BATCHES_PER_RUN;
  for (let batch = 0; batch < batches && !workflowInfo().continueAsNewSuggested; batch++) {
    woken = false;
    const result = await delivering.deliverWebhooks(input.endpointId);
    if (result.stop !== null) {
      // Woken while the batch ran (e.g. re-enabled): look again instead of stopping.
      if (woken) continue;
      return;
    }
    if (result.waitMs > 0) await condition(() => woken, result.waitMs);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof webhookEndpointWorkflow>(input);
}

import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** The ids an activity's log lines carry, read from its input. */
const ID_FIELDS = ['accountId', 'connectionId', 'messageId'] as const;

/** The ids in an activity's first argument (every mailbox activity takes one input object). */
export function logIdsOf(input: unknown): Record<string, string> {
  if (!input || typeof input !== 'object') return {};
  const ids: Record<string, string> = {};
  for (const field of ID_FIELDS) {
    const value = (input as Record<string, unknown>)[field];
    if (typeof value === 'string') ids[field] = value;
  }
  return ids;
}

/**
 * Binds the ids an activity works on to every line it logs through `log` from `@temporalio/activity`,
 * and to the SDK's own lines about it ("Activity failed"); the SDK adds workflowId and activityType.
 */
export const activityLogIds: ActivityInterceptorsFactory = () => {
  let ids: Record<string, string> = {};
  return {
    inbound: {
      execute(input, next) {
        ids = logIdsOf(input.args[0]);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        return next({ ...attributes, ...ids });
      },
    },
  };
};

import { accountActivities } from './account';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { createMailboxFactory, type MailboxFactory } from './mailboxes';
import { messageFlagActivities } from './message-flags';
import { sendActivities } from './send';
import { createAuditDrift } from './sync/audit-drift';
import { createSyncPage } from './sync/sync-page';
import { watchActivities } from './watch';
import { webhookActivities } from './webhooks';

/** Built only by worker.ts; workflows see it through `import type`. */
export function createActivities(deps: ActivityDeps, openMailbox: MailboxFactory = createMailboxFactory(deps)) {
  return {
    ...accountActivities(deps),
    ...watchActivities(deps, openMailbox),
    ...sendActivities(deps, openMailbox),
    ...messageFlagActivities(deps, openMailbox),
    ...webhookActivities(deps),
    // Scheduled with a heartbeat timeout (activity-proxies.ts `syncing`): they heartbeat while they run.
    syncPage: heartbeating(createSyncPage(deps, openMailbox)),
    auditDrift: heartbeating(createAuditDrift(deps, openMailbox)),
  };
}

export type Activities = ReturnType<typeof createActivities>;

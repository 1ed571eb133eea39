import { setAccountStatus } from '../db/repositories/accounts';
import type { AccountStatus } from '../db/schema';
import type { ActivityDeps } from './deps';

export function accountActivities(deps: ActivityDeps) {
  return {
    /** Mirrors the workflow's status into Postgres, where the API and the CRM read it. */
    async recordAccountStatus(input: { accountId: string; status: AccountStatus }): Promise<void> {
      await setAccountStatus(deps.db, input.accountId, input.status);
    },
  };
}

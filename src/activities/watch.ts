import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { findAccount } from '../db/repositories/accounts';
import { FailureType } from '../failure-type';
import { newMeter } from '../providers/types';
import type { ActivityDeps } from './deps';
import { providerFailure } from './failures';
import type { MailboxFactory } from './mailboxes';

export function watchActivities(deps: ActivityDeps, openMailbox: MailboxFactory) {
  async function open(accountId: string) {
    const account = await findAccount(deps.db, accountId);
    if (!account) throw ApplicationFailure.create({ type: FailureType.Permanent, message: `account ${accountId} does not exist`, nonRetryable: true });
    const meter = newMeter();
    return { account, meter, mailbox: await openMailbox(account, meter) };
  }
  return {
    /** Gmail watch (renewed daily) / Graph subscription: push tells the workflow when to sync. */
    async ensureWatch(input: { accountId: string }): Promise<{ expiresAt: string; units: number }> {
      const { account, mailbox, meter } = await open(input.accountId);
      try {
        const { expiresAt } = await mailbox.watch();
        log.debug('push watch renewed', { expiresAt });
        return { expiresAt, units: meter.units };
      } catch (err) {
        throw providerFailure(deps, account.provider, err);
      }
    },
    /** The last binding left (R15): no more push for this mailbox. */
    async stopWatch(input: { accountId: string }): Promise<{ units: number }> {
      const { account, mailbox, meter } = await open(input.accountId);
      try {
        await mailbox.stopWatch();
        return { units: meter.units };
      } catch (err) {
        throw providerFailure(deps, account.provider, err);
      }
    },
  };
}

import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import { MailboxAddress, MailboxBackoffUntil, MailboxLocations, MailboxProvider, MailboxStatus } from './search-attributes';
import { locationsOf, type MailboxState } from './state';

/** The backoff deadline an operator searches by: set while the mailbox backs off, absent otherwise. */
export const backoffDeadline = (state: MailboxState): string | null => (state.status === 'backing_off' ? state.backoffUntil : null);

/**
 * Upserts search attributes only when they change: each upsert is a history event. `withBackoff`
 * (patch `backoff-until-attribute`): `MailboxBackoffUntil` is published too; runs recorded before it
 * upserted only on a change of status or locations, and replay as they ran.
 */
export function createAttributePublisher(state: MailboxState, withBackoff: boolean) {
  let last = '';
  return {
    publish(): void {
      const locations = locationsOf(state);
      const backoffUntil = withBackoff ? backoffDeadline(state) : null;
      const key = JSON.stringify([state.status, locations, ...(withBackoff ? [backoffUntil] : [])]);
      if (key === last) return;
      last = key;
      const pairs: SearchAttributeUpdatePair[] = [
        { key: MailboxProvider, value: state.provider },
        { key: MailboxAddress, value: state.address },
        { key: MailboxStatus, value: state.status },
        { key: MailboxLocations, value: locations },
      ];
      // A null value removes the attribute, so a mailbox that stopped backing off drops out of `MailboxBackoffUntil` queries.
      if (withBackoff) pairs.push({ key: MailboxBackoffUntil, value: backoffUntil === null ? null : new Date(backoffUntil) });
      upsertSearchAttributes(pairs);
    },
  };
}

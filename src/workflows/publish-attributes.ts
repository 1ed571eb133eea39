import { upsertSearchAttributes } from '@temporalio/workflow';
import { MailboxAddress, MailboxLocations, MailboxProvider, MailboxStatus } from './search-attributes';
import { locationsOf, type MailboxState } from './state';

/** Upserts search attributes only when they change: each upsert is a history event. */
export function createAttributePublisher(state: MailboxState) {
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

import { sql } from 'kysely';
import type { DbOrTrx } from '../client';

export interface NewThreadLink {
  accountId: string;
  providerThreadId: string;
  locationId: string;
  connectionId: string;
  conversationId: string;
  ruleId: string;
}

function linksQuery(db: DbOrTrx, accountId: string) {
  return db
    .selectFrom('thread_links as l')
    .innerJoin('conversations as c', 'c.id', 'l.conversation_id')
    .select(['l.location_id', 'l.connection_id', 'l.conversation_id', 'c.contact_id', 'l.provider_thread_id', 'l.state', 'l.reason', 'l.rule_id'])
    .where('l.account_id', '=', accountId);
}

/** The account's links of these provider threads, in every location, with the contact of each. */
export async function findLinksOfThreads(db: DbOrTrx, accountId: string, providerThreadIds: string[]) {
  if (providerThreadIds.length === 0) return [];
  return linksQuery(db, accountId).where('l.provider_thread_id', 'in', providerThreadIds).execute();
}

/** Links made by sync, in one statement. One that exists keeps its state: only a CRM send (R1) revives a stopped or broken one. */
export async function linkThreadsIfNew(db: DbOrTrx, links: NewThreadLink[]): Promise<void> {
  if (links.length === 0) return;
  await db
    .insertInto('thread_links')
    .values(
      links.map((link) => ({
        account_id: link.accountId,
        provider_thread_id: link.providerThreadId,
        location_id: link.locationId,
        connection_id: link.connectionId,
        conversation_id: link.conversationId,
        rule_id: link.ruleId,
      })),
    )
    .onConflict((oc) => oc.columns(['account_id', 'provider_thread_id', 'location_id']).doNothing())
    .execute();
}

/** A CRM send links its thread in its location (R1), reviving a stopped or broken link. */
export async function linkThreadForSend(db: DbOrTrx, link: Omit<NewThreadLink, 'ruleId'>): Promise<void> {
  await db
    .insertInto('thread_links')
    .values({
      account_id: link.accountId,
      provider_thread_id: link.providerThreadId,
      location_id: link.locationId,
      connection_id: link.connectionId,
      conversation_id: link.conversationId,
      rule_id: 'R1',
    })
    .onConflict((oc) =>
      oc.columns(['account_id', 'provider_thread_id', 'location_id']).doUpdateSet({
        state: 'active', reason: null, connection_id: link.connectionId, conversation_id: link.conversationId, rule_id: 'R1', updated_at: sql`now()` as never,
      }),
    )
    .execute();
}

/** R12: a thread replied to from one location stops syncing into the others. */
export async function breakLinksElsewhere(db: DbOrTrx, accountId: string, providerThreadId: string, locationId: string): Promise<void> {
  await db
    .updateTable('thread_links')
    .set({ state: 'broken', reason: 'replied_in_other_location', updated_at: sql`now()` as never })
    .where('account_id', '=', accountId)
    .where('provider_thread_id', '=', providerThreadId)
    .where('location_id', '<>', locationId)
    .where('state', '=', 'active')
    .execute();
}

/** Links made through this connection stop receiving (R14, R15); their messages stay. */
export async function stopLinksOfConnection(db: DbOrTrx, connectionId: string, reason: string): Promise<number> {
  const result = await db
    .updateTable('thread_links')
    .set({ state: 'stopped', reason, updated_at: sql`now()` as never })
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

import { sql } from 'kysely';
import type { DbOrTrx } from '../client';
import type { CursorPosition } from '../../pagination/cursor';
import { afterTime, exactTime } from '../keyset';

export interface Location { id: string; name: string; createdAt: Date; updatedAt: Date }
export interface User { id: string; email: string; name: string; locationIds: string[]; createdAt: Date; updatedAt: Date }
export interface Contact {
  locationId: string; id: string; email: string; name: string | null; assignedUserId: string | null; createdAt: Date; updatedAt: Date;
}

export async function upsertLocation(db: DbOrTrx, input: { id: string; name: string }): Promise<Location> {
  const row = await db
    .insertInto('locations')
    .values({ id: input.id, name: input.name })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.name, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function findMissingLocations(db: DbOrTrx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom('locations').select('id').where('id', 'in', ids).execute();
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}

export async function upsertUser(
  db: DbOrTrx,
  input: { id: string; email: string; name: string; locationIds: string[] },
): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({ id: input.id, email: input.email.toLowerCase(), name: input.name })
    .onConflict((oc) => oc.column('id').doUpdateSet({ email: input.email.toLowerCase(), name: input.name, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.deleteFrom('user_locations').where('user_id', '=', input.id).execute();
  if (input.locationIds.length > 0) {
    await db
      .insertInto('user_locations')
      .values(input.locationIds.map((locationId) => ({ user_id: input.id, location_id: locationId })))
      .execute();
  }
  return { id: row.id, email: row.email, name: row.name, locationIds: [...input.locationIds].sort(), createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function findUser(db: DbOrTrx, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const locations = await db.selectFrom('user_locations').select('location_id').where('user_id', '=', id).orderBy('location_id').execute();
  return { id: row.id, email: row.email, name: row.name, locationIds: locations.map((l) => l.location_id), createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function upsertContact(
  db: DbOrTrx,
  input: { locationId: string; id: string; email: string; name: string | null; assignedUserId: string | null; createdAt?: string },
): Promise<Contact> {
  const values = {
    location_id: input.locationId,
    id: input.id,
    email: input.email.toLowerCase(),
    name: input.name,
    assigned_user_id: input.assignedUserId,
    ...(input.createdAt ? { created_at: input.createdAt } : {}),
  };
  const row = await db
    .insertInto('contacts')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['location_id', 'id']).doUpdateSet({
        email: values.email,
        name: values.name,
        assigned_user_id: values.assigned_user_id,
        ...(input.createdAt ? { created_at: input.createdAt } : {}),
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toContact(row);
}

export function toContact(row: {
  location_id: string; id: string; email: string; name: string | null; assigned_user_id: string | null; created_at: Date; updated_at: Date;
}): Contact {
  return {
    locationId: row.location_id, id: row.id, email: row.email, name: row.name, assignedUserId: row.assigned_user_id,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export async function findContactRow(db: DbOrTrx, locationId: string, id: string) {
  return db.selectFrom('contacts').selectAll().where('location_id', '=', locationId).where('id', '=', id).executeTakeFirst();
}

export async function locationExists(db: DbOrTrx, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('locations').select('id').where('id', '=', id).executeTakeFirst());
}

const toLocation = (row: { id: string; name: string; created_at: Date; updated_at: Date }): Location => ({ id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at });

export async function findLocation(db: DbOrTrx, id: string): Promise<Location | null> {
  const row = await db.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toLocation(row) : null;
}

/** Locations in the order they were made (created_at, id), after a cursor position. */
export async function listLocations(db: DbOrTrx, after: CursorPosition | null, limit: number) {
  let query = db.selectFrom('locations').selectAll().select(exactTime('created_at').as('cursorKey')).orderBy('created_at').orderBy('id').limit(limit);
  if (after) query = query.where(afterTime('created_at', 'id', after));
  const rows = await query.execute();
  return rows.map((r) => ({ ...toLocation(r), cursorKey: r.cursorKey }));
}

/** Users in the order they were made (created_at, id), optionally the members of one location. */
export async function listUsers(db: DbOrTrx, filter: { locationId?: string | undefined }, after: CursorPosition | null, limit: number) {
  let query = db.selectFrom('users').selectAll().select(exactTime('users.created_at').as('cursorKey')).orderBy('users.created_at').orderBy('users.id').limit(limit);
  if (filter.locationId) {
    const locationId = filter.locationId;
    query = query.where((eb) => eb.exists(eb.selectFrom('user_locations as ul').select('ul.user_id').whereRef('ul.user_id', '=', 'users.id').where('ul.location_id', '=', locationId)));
  }
  if (after) query = query.where(afterTime('users.created_at', 'users.id', after));
  const rows = await query.execute();
  const ids = rows.map((r) => r.id);
  const memberships = ids.length ? await db.selectFrom('user_locations').selectAll().where('user_id', 'in', ids).orderBy('location_id').execute() : [];
  return rows.map((r) => ({
    id: r.id, email: r.email, name: r.name, locationIds: memberships.filter((m) => m.user_id === r.id).map((m) => m.location_id),
    createdAt: r.created_at, updatedAt: r.updated_at, cursorKey: r.cursorKey,
  }));
}

/**
 * A location's contacts in id order (their createdAt may be set by the CRM, so it is no stable key),
 * optionally those with one address or assigned to one user.
 */
export async function listContacts(db: DbOrTrx, locationId: string, filter: { email?: string | undefined; assignedUserId?: string | undefined }, afterId: string | null, limit: number): Promise<Contact[]> {
  let query = db.selectFrom('contacts').selectAll().where('location_id', '=', locationId).orderBy('id').limit(limit);
  if (filter.email) query = query.where('email', '=', filter.email.toLowerCase());
  if (filter.assignedUserId) query = query.where('assigned_user_id', '=', filter.assignedUserId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return (await query.execute()).map(toContact);
}

/** Of these user ids, the ones that name no user. */
export async function findMissingUsers(db: DbOrTrx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom('users').select('id').where('id', 'in', ids).execute();
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}

export interface ContactInput { id: string; email: string; name: string | null; assignedUserId: string | null; createdAt?: string | undefined }

/**
 * Upserts many contacts of a location in one statement per shape: rows that set createdAt overwrite it,
 * rows that do not keep the stored one. Returns them in the order given.
 */
export async function upsertContacts(db: DbOrTrx, locationId: string, inputs: ContactInput[]): Promise<Contact[]> {
  const values = (c: ContactInput) => ({ location_id: locationId, id: c.id, email: c.email.toLowerCase(), name: c.name, assigned_user_id: c.assignedUserId });
  const write = async (rows: ContactInput[], withCreatedAt: boolean) => {
    if (rows.length === 0) return [];
    return db
      .insertInto('contacts')
      .values(rows.map((c) => ({ ...values(c), ...(withCreatedAt && c.createdAt ? { created_at: c.createdAt } : {}) })))
      .onConflict((oc) =>
        oc.columns(['location_id', 'id']).doUpdateSet((eb) => ({
          email: eb.ref('excluded.email'),
          name: eb.ref('excluded.name'),
          assigned_user_id: eb.ref('excluded.assigned_user_id'),
          ...(withCreatedAt ? { created_at: eb.ref('excluded.created_at') } : {}),
          updated_at: sql`now()`,
        })),
      )
      .returningAll()
      .execute();
  };
  const rows = [...(await write(inputs.filter((c) => c.createdAt), true)), ...(await write(inputs.filter((c) => !c.createdAt), false))];
  const byId = new Map(rows.map((r) => [r.id, toContact(r)]));
  return inputs.map((c) => byId.get(c.id)!);
}

/** The contacts of these locations with any of these (normalised) emails, for a page of sync decisions. */
export async function findContactsByEmails(db: DbOrTrx, locationIds: string[], emails: string[]) {
  if (locationIds.length === 0 || emails.length === 0) return [];
  return db.selectFrom('contacts').selectAll().where('location_id', 'in', locationIds).where('email', 'in', emails).execute();
}

/** Contacts sync creates (R18: a BCC-address send to someone new), in one statement. */
export async function insertNewContacts(
  db: DbOrTrx,
  rows: { locationId: string; id: string; email: string; name: string | null; assignedUserId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('contacts')
    .values(rows.map((r) => ({ location_id: r.locationId, id: r.id, email: r.email, name: r.name, assigned_user_id: r.assignedUserId })))
    .execute();
}

/** Deletes a location; what is in it goes with it (migration 0009). True when it existed. */
export async function deleteLocation(db: DbOrTrx, id: string): Promise<boolean> {
  return Boolean(await db.deleteFrom('locations').where('id', '=', id).returning('id').executeTakeFirst());
}

/** Deletes a user: memberships go, contacts become unassigned, past connections keep the id. True when it existed. */
export async function deleteUser(db: DbOrTrx, id: string): Promise<boolean> {
  return Boolean(await db.deleteFrom('users').where('id', '=', id).returning('id').executeTakeFirst());
}

/** Deletes a contact with its conversation, messages, links and enrolments (migration 0009). True when it existed. */
export async function deleteContact(db: DbOrTrx, locationId: string, id: string): Promise<boolean> {
  return Boolean(await db.deleteFrom('contacts').where('location_id', '=', locationId).where('id', '=', id).returning('id').executeTakeFirst());
}

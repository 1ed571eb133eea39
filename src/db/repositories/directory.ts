import { sql } from 'kysely';
import type { DbOrTrx } from '../client';

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

import type { DbOrTrx } from '../db/client';
import { listContacts, listLocations, listUsers, type Contact, type Location, type User } from '../db/repositories/directory';
import { pageOf, startAfter, type Page } from '../pagination/cursor';

interface PageRequest { limit: number; cursor?: string | undefined }

/** Locations in the order they were made. */
export async function pageLocations(db: DbOrTrx, page: PageRequest): Promise<Page<Location>> {
  const rows = await listLocations(db, startAfter('locations', page.cursor), page.limit + 1);
  const { items, nextCursor } = pageOf('locations', rows, page.limit, (r) => ({ key: r.cursorKey, id: r.id }));
  return { items: items.map(({ cursorKey: _, ...l }) => l), nextCursor };
}

/** Users in the order they were made; optionally one location's members. */
export async function pageUsers(db: DbOrTrx, filter: { locationId?: string | undefined }, page: PageRequest): Promise<Page<User>> {
  const rows = await listUsers(db, filter, startAfter('users', page.cursor), page.limit + 1);
  const { items, nextCursor } = pageOf('users', rows, page.limit, (r) => ({ key: r.cursorKey, id: r.id }));
  return { items: items.map(({ cursorKey: _, ...u }) => u), nextCursor };
}

/** A location's contacts in id order; the cursor is bound to the location. */
export async function pageContacts(db: DbOrTrx, locationId: string, filter: { email?: string | undefined; assignedUserId?: string | undefined }, page: PageRequest): Promise<Page<Contact>> {
  const list = `contacts:${locationId}`;
  const after = startAfter(list, page.cursor);
  const rows = await listContacts(db, locationId, filter, after?.id ?? null, page.limit + 1);
  return pageOf(list, rows, page.limit, (r) => ({ key: '', id: r.id }));
}

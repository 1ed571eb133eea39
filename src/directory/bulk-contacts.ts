import type { Db } from '../db/client';
import { findMissingUsers, locationExists, upsertContacts, type Contact, type ContactInput } from '../db/repositories/directory';
import { DomainError, NotFound } from '../domain-errors';

/** Most contacts one bulk call takes. */
export const MAX_BULK_CONTACTS = 1000;

/**
 * Upserts up to 1,000 contacts of a location, all or nothing: an id given twice or an assigned user
 * that does not exist refuses the whole call, naming them, and nothing is written.
 */
export async function upsertContactsInBulk(db: Db, locationId: string, contacts: ContactInput[]): Promise<Contact[]> {
  if (!(await locationExists(db, locationId))) throw new NotFound('location', locationId);
  const seen = new Set<string>();
  const repeated = [...new Set(contacts.map((c) => c.id).filter((id) => (seen.has(id) ? true : (seen.add(id), false))))];
  if (repeated.length > 0) throw new DomainError('invalid_input', `body.contacts names these ids more than once: ${repeated.join(', ')}`, { fields: ['body.contacts'], repeated });
  const users = [...new Set(contacts.map((c) => c.assignedUserId).filter((u): u is string => Boolean(u)))];
  const missing = await findMissingUsers(db, users);
  if (missing.length > 0) throw new DomainError('unknown_reference', `body.contacts assigns unknown users: ${missing.join(', ')}`, { field: 'assignedUserId', missing });
  return db.transaction().execute((trx) => upsertContacts(trx, locationId, contacts));
}

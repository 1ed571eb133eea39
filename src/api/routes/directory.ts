import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../errors';
import { findMissingLocations, upsertContact, upsertLocation, upsertUser } from '../../db/repositories/directory';
import { findUser } from '../../db/repositories/directory';
import { endConnectionsOutside } from '../../connections/disconnect';
import { MAX_BULK_CONTACTS, upsertContactsInBulk } from '../../directory/bulk-contacts';
import type { AppDeps } from '../deps';
import { Email, errorResponses, Id, Timestamp } from '../schemas';

const LocationBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const LocationOut = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String(), updatedAt: Type.String() });
const UserBody = Type.Object(
  { email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), locationIds: Type.Array(Id, { maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
);
export const UserOut = Type.Object({
  id: Type.String(), email: Type.String(), name: Type.String(), locationIds: Type.Array(Type.String()), createdAt: Type.String(), updatedAt: Type.String(),
});
export const ContactBody = Type.Object(
  {
    email: Email,
    name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    assignedUserId: Type.Optional(Type.Union([Id, Type.Null()])),
    createdAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export const ContactOut = Type.Object({
  locationId: Type.String(), id: Type.String(), email: Type.String(), name: Type.Union([Type.String(), Type.Null()]),
  assignedUserId: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(),
});

export const iso = <T extends { createdAt: Date; updatedAt: Date }>(v: T) => ({ ...v, createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString() });

export const directoryRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.put(
      '/v1/locations/:id',
      { config: { auth: 'apiKey' }, schema: { tags: ['directory'], params: Type.Object({ id: Id }), body: LocationBody, response: { 200: LocationOut, ...errorResponses } } },
      async (request) => iso(await upsertLocation(deps.db, { id: request.params.id, name: request.body.name })),
    );

    app.put(
      '/v1/users/:id',
      { config: { auth: 'apiKey' }, schema: { tags: ['directory'], params: Type.Object({ id: Id }), body: UserBody, response: { 200: UserOut, ...errorResponses } } },
      async (request) => {
        const missing = await findMissingLocations(deps.db, request.body.locationIds);
        if (missing.length > 0) {
          throw new ApiError('UNKNOWN_REFERENCE', `body.locationIds names unknown locations: ${missing.join(', ')}`, { field: 'locationIds', missing });
        }
        const user = await deps.db.transaction().execute((trx) => upsertUser(trx, { id: request.params.id, ...request.body }));
        // Removed from a location: the user's mailbox stops syncing into it (R15, links `user_left_location`).
        await endConnectionsOutside(deps, user.id, user.locationIds);
        return iso(user);
      },
    );

    app.put(
      '/v1/locations/:locationId/contacts',
      {
        config: { auth: 'apiKey' },
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags: ['directory'],
          description: `Bulk upsert: up to ${MAX_BULK_CONTACTS} contacts of the location in one call, all or nothing (an id given twice: 400; an unknown assignedUserId: 422; nothing is written). Answers the contacts in the order given.`,
          params: Type.Object({ locationId: Id }),
          body: Type.Object(
            { contacts: Type.Array(Type.Object({ id: Id, ...ContactBody.properties }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_BULK_CONTACTS }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ contacts: Type.Array(ContactOut) }), ...errorResponses },
        },
      },
      async (request) => {
        const inputs = request.body.contacts.map((c) => ({ id: c.id, email: c.email, name: c.name ?? null, assignedUserId: c.assignedUserId ?? null, createdAt: c.createdAt }));
        return { contacts: (await upsertContactsInBulk(deps.db, request.params.locationId, inputs)).map(iso) };
      },
    );

    app.put(
      '/v1/locations/:locationId/contacts/:id',
      {
        config: { auth: 'apiKey' },
        schema: { tags: ['directory'], params: Type.Object({ locationId: Id, id: Id }), body: ContactBody, response: { 200: ContactOut, ...errorResponses } },
      },
      async (request) => {
        const { locationId, id } = request.params;
        if ((await findMissingLocations(deps.db, [locationId])).length > 0) {
          throw new ApiError('NOT_FOUND', `location ${locationId} does not exist`, { locationId });
        }
        const assignedUserId = request.body.assignedUserId ?? null;
        if (assignedUserId && !(await findUser(deps.db, assignedUserId))) {
          throw new ApiError('UNKNOWN_REFERENCE', `body.assignedUserId names unknown user ${assignedUserId}`, { field: 'assignedUserId' });
        }
        const contact = await upsertContact(deps.db, {
          locationId, id, email: request.body.email, name: request.body.name ?? null, assignedUserId,
          ...(request.body.createdAt ? { createdAt: request.body.createdAt } : {}),
        });
        return iso(contact);
      },
    );
  };

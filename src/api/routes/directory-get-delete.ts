import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../errors';
import { findContactRow, findLocation, findUser, locationExists, toContact } from '../../db/repositories/directory';
import { pageContacts, pageLocations, pageUsers } from '../../directory/list';
import { removeContact, removeLocation, removeUser } from '../../directory/remove';
import { DEFAULT_LIMIT } from '../../pagination/cursor';
import type { AppDeps } from '../deps';
import { Email, errorResponses, Id, NextCursor, PageQuery } from '../schemas';
import { ContactOut, iso, LocationOut, UserOut } from './directory';

const Deleted = Type.Object({
  id: Type.String(),
  deleted: Type.Literal(true),
  endedConnectionIds: Type.Array(Type.String(), { description: 'Live connections ended by the delete, as DELETE /v1/connections/:id would (R15).' }),
});

/** GET and DELETE for the directory (locations, users, contacts); the PUTs are in directory.ts. */
export const directoryGetDeleteRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { auth: 'apiKey' as const };

    app.get(
      '/v1/locations',
      { config: auth, schema: { tags: ['directory'], description: 'Locations in the order they were made.', querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Type.Object({ locations: Type.Array(LocationOut), nextCursor: NextCursor }), ...errorResponses } } },
      async (request) => {
        const page = await pageLocations(deps.db, { limit: request.query.limit ?? DEFAULT_LIMIT, cursor: request.query.cursor });
        return { locations: page.items.map(iso), nextCursor: page.nextCursor };
      },
    );
    app.get(
      '/v1/locations/:id',
      { config: auth, schema: { tags: ['directory'], params: Type.Object({ id: Id }), response: { 200: LocationOut, ...errorResponses } } },
      async (request) => {
        const location = await findLocation(deps.db, request.params.id);
        if (!location) throw notFound('location', request.params.id);
        return iso(location);
      },
    );
    app.delete(
      '/v1/locations/:id',
      {
        config: auth,
        schema: {
          tags: ['directory'],
          description: 'Deletes the location and everything in it: its live connections end first (R15), then its contacts, conversations, messages, attachments and thread links are erased. The event feed keeps its history.',
          params: Type.Object({ id: Id }),
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (request) => ({ id: request.params.id, deleted: true as const, ...(await removeLocation(deps, request.params.id)) }),
    );

    app.get(
      '/v1/users',
      {
        config: auth,
        schema: { tags: ['directory'], description: 'Users in the order they were made; `locationId`: that location\'s members.', querystring: Type.Object({ locationId: Type.Optional(Id), ...PageQuery }, { additionalProperties: false }), response: { 200: Type.Object({ users: Type.Array(UserOut), nextCursor: NextCursor }), ...errorResponses } },
      },
      async (request) => {
        const { limit = DEFAULT_LIMIT, cursor, locationId } = request.query;
        const page = await pageUsers(deps.db, { locationId }, { limit, cursor });
        return { users: page.items.map(iso), nextCursor: page.nextCursor };
      },
    );
    app.get(
      '/v1/users/:id',
      { config: auth, schema: { tags: ['directory'], params: Type.Object({ id: Id }), response: { 200: UserOut, ...errorResponses } } },
      async (request) => {
        const user = await findUser(deps.db, request.params.id);
        if (!user) throw notFound('user', request.params.id);
        return iso(user);
      },
    );
    app.delete(
      '/v1/users/:id',
      {
        config: auth,
        schema: {
          tags: ['directory'],
          description: "Deletes the user: their live connections end first (R15, links stopped with `user_deleted`), their contacts become unassigned; conversations and messages stay with their locations.",
          params: Type.Object({ id: Id }),
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (request) => ({ id: request.params.id, deleted: true as const, ...(await removeUser(deps, request.params.id)) }),
    );

    app.get(
      '/v1/locations/:locationId/contacts',
      {
        config: auth,
        schema: {
          tags: ['directory'],
          description: 'A location\'s contacts in id order; `email` or `assignedUserId` narrow it.',
          params: Type.Object({ locationId: Id }),
          querystring: Type.Object({ email: Type.Optional(Email), assignedUserId: Type.Optional(Id), ...PageQuery }, { additionalProperties: false }),
          response: { 200: Type.Object({ contacts: Type.Array(ContactOut), nextCursor: NextCursor }), ...errorResponses },
        },
      },
      async (request) => {
        const { locationId } = request.params;
        if (!(await locationExists(deps.db, locationId))) throw notFound('location', locationId);
        const { limit = DEFAULT_LIMIT, cursor, ...filter } = request.query;
        const page = await pageContacts(deps.db, locationId, filter, { limit, cursor });
        return { contacts: page.items.map(iso), nextCursor: page.nextCursor };
      },
    );
    app.get(
      '/v1/locations/:locationId/contacts/:id',
      { config: auth, schema: { tags: ['directory'], params: Type.Object({ locationId: Id, id: Id }), response: { 200: ContactOut, ...errorResponses } } },
      async (request) => {
        const row = await findContactRow(deps.db, request.params.locationId, request.params.id);
        if (!row) throw notFound('contact', `${request.params.locationId}/${request.params.id}`);
        return iso(toContact(row));
      },
    );
    app.delete(
      '/v1/locations/:locationId/contacts/:id',
      {
        config: auth,
        schema: {
          tags: ['directory'],
          description: "Deletes the contact with its conversation: the conversation's messages, attachments and thread links are erased. Later mail from the address is decided as from an unknown sender.",
          params: Type.Object({ locationId: Id, id: Id }),
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (request) => {
        await removeContact(deps, request.params.locationId, request.params.id);
        return { id: request.params.id, deleted: true as const, endedConnectionIds: [] };
      },
    );
  };

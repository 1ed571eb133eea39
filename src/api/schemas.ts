import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorBody' },
);

export const Id = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:-]+$' });
export const Email = Type.String({ format: 'email', maxLength: 320 });
export const Provider = Type.Union([Type.Literal('gmail'), Type.Literal('outlook')]);
export const Timestamp = Type.String({ format: 'date-time' });

/** Every error status a route can answer, sharing one wire shape. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
  503: ErrorBody,
};

export type ErrorBodyT = Static<typeof ErrorBody>;

/** Every list: `limit` items after `cursor` (the previous page's `nextCursor`), in the list's stable order. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Items per page (default 50, at most 500).' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: "The previous page's nextCursor; absent for the first page." })),
};
export const NextCursor = Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' });

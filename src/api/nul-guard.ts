import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

const MAX_NAMED_DEPTH = 20;

interface Node {
  value: unknown;
  key: string | null;
  parent: Node | null;
}

function pathOf(node: Node): string[] {
  const path: string[] = [];
  for (let at: Node | null = node; at?.parent; at = at.parent) path.push(at.key!);
  return path.reverse();
}

/**
 * The first place in a parsed value that holds U+0000, as a field path (`items.2.name`), or null.
 * Iterative, and linear in the value's size: a 1 MB body may nest hundreds of thousands of levels.
 */
export function nulPath(value: unknown): string[] | null {
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (node.value.includes('\u0000')) return pathOf(node);
      continue;
    }
    if (node.value === null || typeof node.value !== 'object') continue;
    for (const [key, child] of Object.entries(node.value).reverse()) {
      if (key.includes('\u0000')) return pathOf({ value: child, key, parent: node });
      stack.push({ value: child, key, parent: node });
    }
  }
  return null;
}

/**
 * Postgres refuses U+0000 in text and jsonb, so a string holding it would fail in the database, far
 * from the field that carried it. It is refused up front, naming the field, like any invalid input.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const inputs = { params: request.params, querystring: request.query, headers: request.headers, body: request.body };
    for (const [context, value] of Object.entries(inputs)) {
      const path = nulPath(value);
      if (!path) continue;
      // A field nested thousands of levels deep is named by its first levels.
      const field = [context, ...path.slice(0, MAX_NAMED_DEPTH), ...(path.length > MAX_NAMED_DEPTH ? ['…'] : [])].join('.');
      throw new ApiError('VALIDATION_FAILED', `${field} must not contain the NUL character (U+0000)`, { fields: [field] });
    }
  });
}

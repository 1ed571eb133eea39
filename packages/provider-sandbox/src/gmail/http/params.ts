import type { FastifyRequest } from 'fastify';
import { invalidArgument } from '../errors';
import { asArray } from '../view';

export type Query = Record<string, unknown>;

export const queryOf = (req: FastifyRequest): Query => (req.query ?? {}) as Query;

export const paramsOf = (req: FastifyRequest): Record<string, string> => (req.params ?? {}) as Record<string, string>;

export function bodyOf(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : {};
}

export const str = (value: unknown): string | undefined => (Array.isArray(value) ? str(value[0]) : typeof value === 'string' ? value : undefined);

export const list = (value: unknown): string[] => asArray(value).flatMap((v) => v.split(',')).filter((v) => v !== '');

export function bool(value: unknown): boolean {
  return str(value) === 'true';
}

/** maxResults as Gmail reads it: default, and a hard cap the client cannot exceed. */
export function maxResults(value: unknown, fallback: number, cap = 500): number {
  const raw = str(value);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(`Invalid value for maxResults: ${raw}`);
  return Math.min(n === 0 ? fallback : n, cap);
}

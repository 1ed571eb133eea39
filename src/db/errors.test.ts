import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { classifyDatabaseError, DatabaseUnavailableError, rethrowOutage } from './errors';

/** An error as the server sends it, in node-postgres's own class. */
function serverError(code: string, message: string): Error {
  const err = new pg.DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = code.startsWith('57P') || code.startsWith('08') ? 'FATAL' : 'ERROR';
  return err;
}

/** A node socket error as `net` raises it. */
function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

describe('classifyDatabaseError: unavailable', () => {
  it.each<[string, unknown, string]>([
    ['refused', socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'ECONNREFUSED'],
    ['reset', socketError('ECONNRESET', 'read ECONNRESET'), 'ECONNRESET'],
    ['unreachable host', socketError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.9:5432'), 'EHOSTUNREACH'],
    ['dns', socketError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.internal'), 'EAI_AGAIN'],
    ['admin shutdown', serverError('57P01', 'terminating connection due to administrator command'), '57P01 admin shutdown'],
    ['crash shutdown', serverError('57P02', 'terminating connection because of crash of another server process'), '57P02 crash shutdown'],
    ['starting up', serverError('57P03', 'the database system is starting up'), '57P03 cannot connect now'],
    ['shutting down', serverError('57P03', 'the database system is shutting down'), '57P03 cannot connect now'],
    ['statement timeout', serverError('57014', 'canceling statement due to statement timeout'), '57014 statement timeout'],
    ['statement canceled', serverError('57014', 'canceling statement due to user request'), '57014 statement canceled'],
    ['too many clients', serverError('53300', 'sorry, too many clients already'), '53300 too many connections'],
    ['idle in transaction', serverError('25P03', 'terminating connection due to idle-in-transaction timeout'), '25P03 idle in transaction timeout'],
    ['connection failure', serverError('08006', 'connection failure'), '08006 connection exception'],
    ['connection does not exist', serverError('08003', 'connection does not exist'), '08003 connection exception'],
    ['rejected connection', serverError('08004', 'server rejected the connection'), '08004 connection exception'],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect'), 'pool connect timeout'],
    ['client connect timeout', new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }), 'connect timeout'],
    ['server went away', new Error('Connection terminated unexpectedly'), 'connection terminated'],
    ['client already broken', new Error('Client has encountered a connection error and is not queryable'), 'connection lost'],
    ['client closed', new Error('Client was closed and is not queryable'), 'connection lost'],
    ['read timeout', new Error('Query read timeout'), 'query read timeout'],
    ['wrapped in cause', new Error('syncing failed', { cause: socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432') }), 'ECONNREFUSED'],
    [
      'dual-stack refusal',
      Object.assign(new AggregateError([socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')], ''), { code: undefined }),
      'ECONNREFUSED',
    ],
  ])('%s → %s', (_name, err, reason) => {
    expect(classifyDatabaseError(err)).toEqual({ kind: 'unavailable', reason });
  });
});

describe('classifyDatabaseError: other', () => {
  it.each<[string, unknown]>([
    ['unique violation', serverError('23505', 'duplicate key value violates unique constraint "messages_pkey"')],
    ['syntax error', serverError('42601', 'syntax error at or near "selec"')],
    ['serialization failure', serverError('40001', 'could not serialize access due to concurrent update')],
    ['database dropped', serverError('57P04', 'database dropped')],
    ['wrong password', serverError('28P01', 'password authentication failed for user "postgres"')],
    ['a provider network error', Object.assign(new Error('request to https://gmail.googleapis.com failed'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' })],
    ['a bare error', new Error('no result')],
    ['a string', 'Connection terminated unexpectedly'],
    ['null', null],
  ])('%s', (_name, err) => {
    expect(classifyDatabaseError(err)).toEqual({ kind: 'other' });
  });

  it('stops following a cause chain that loops', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = new Error('b', { cause: a });
    expect(classifyDatabaseError(a)).toEqual({ kind: 'other' });
  });
});

describe('rethrowOutage', () => {
  it('throws an outage as DatabaseUnavailableError, keeping the driver error as its cause', () => {
    const refused = socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    let thrown: unknown;
    try {
      rethrowOutage(refused);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DatabaseUnavailableError);
    expect(thrown).toMatchObject({ name: 'DatabaseUnavailableError', reason: 'ECONNREFUSED', message: 'postgres is unavailable: ECONNREFUSED', cause: refused });
  });

  it('throws any other error unchanged', () => {
    const duplicate = serverError('23505', 'duplicate key value violates unique constraint "messages_pkey"');
    expect(() => rethrowOutage(duplicate)).toThrow(duplicate);
  });
});

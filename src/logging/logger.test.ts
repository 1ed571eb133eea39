import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger';

/** A logger writing into memory through a real stream; `lines()` parses what it wrote. */
function capture(level: LogLevel = 'info') {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ name: 'mailsync-test', level, destination });
  return { logger, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>) };
}

describe('the JSON logger', () => {
  it('writes one JSON object per line with the level name, an ISO time and the process name', () => {
    const { logger, lines } = capture();
    logger.child({ accountId: 'acct_1' }).info({ seen: 3 }, 'sync page applied');
    logger.debug('not written at info');
    const [line, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'info', name: 'mailsync-test', accountId: 'acct_1', seen: 3, msg: 'sync page applied' });
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
  });

  it('redacts secret fields at the top and one level down', () => {
    const { logger, lines, text } = capture();
    logger.info(
      { refreshToken: 'r-1', client_secret: 's-1', headers: { authorization: 'Bearer k-1', cookie: 'c=1', 'set-cookie': 'c=2' }, grant: { access_token: 'a-1', expires_in: 3599 }, taskToken: 't-1' },
      'redacted',
    );
    expect(lines()[0]).toMatchObject({
      refreshToken: '[Redacted]',
      client_secret: '[Redacted]',
      headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'set-cookie': '[Redacted]' },
      grant: { access_token: '[Redacted]', expires_in: 3599 },
      taskToken: '[Redacted]',
    });
    for (const secret of ['r-1', 's-1', 'k-1', 'c=1', 'c=2', 'a-1', 't-1']) expect(text()).not.toContain(secret);
  });

  it('censors credentials in the message and in top-level text fields', () => {
    const { logger, lines } = capture();
    logger.warn({ reason: 'refused: {"refresh_token":"1//abcdefgh"}', until: '2026-01-01T00:00:00.000Z' }, 'callback /cb?code=4/xyz failed');
    expect(lines()[0]).toMatchObject({ reason: 'refused: {"refresh_token":"[Redacted]"}', until: '2026-01-01T00:00:00.000Z', msg: 'callback /cb?code=[Redacted] failed' });
  });

  it('writes errors as type, message, stack, codes and cause only, censored', () => {
    const { logger, lines, text } = capture();
    const cause = new Error('token endpoint: refresh_token=1//abcdefgh');
    const err = Object.assign(new Error('request failed', { cause }), {
      code: 'ERR_BAD_REQUEST',
      status: 400,
      config: { headers: { Authorization: 'Bearer ya29.secret-token' }, data: 'client_secret=s3cret' },
    });
    logger.error({ err }, 'provider call failed');
    logger.warn({ error: err }, 'Activity failed');
    const [first, second] = lines();
    expect(first!.err).toMatchObject({ type: 'Error', message: 'request failed', code: 'ERR_BAD_REQUEST', status: 400, cause: { type: 'Error', message: 'token endpoint: refresh_token=[Redacted]' } });
    expect(Object.keys(first!.err).sort()).toEqual(['cause', 'code', 'message', 'stack', 'status', 'type']);
    expect(second!.error).toEqual(first!.err);
    for (const secret of ['ya29.secret-token', 's3cret', '1//abcdefgh']) expect(text()).not.toContain(secret);
  });

  it('logs a request as method, URL without credentials, route and peer, never its headers', () => {
    const { logger, lines, text } = capture();
    const req = {
      method: 'GET',
      url: '/v1/oauth/gmail/callback?code=4/abcdefgh&state=st-1',
      routeOptions: { url: '/v1/oauth/:provider/callback' },
      host: 'mailsync.example.com',
      ip: '203.0.113.9',
      socket: { remotePort: 50123 },
      headers: { authorization: 'Bearer k-1', cookie: 'mailsync_oauth_gmail=b-1' },
    };
    logger.info({ req }, 'incoming request');
    expect(lines()[0]!.req).toEqual({ method: 'GET', url: '/v1/oauth/gmail/callback', route: '/v1/oauth/:provider/callback', host: 'mailsync.example.com', remoteAddress: '203.0.113.9', remotePort: 50123 });
    for (const secret of ['code=', 'st-1', 'k-1', 'b-1']) expect(text()).not.toContain(secret);
  });
});

import { describe, expect, it } from 'vitest';
import { REDACT_PATHS, safeRequestUrl, scrubText } from './redaction';

describe('request URLs in logs', () => {
  it('drop the OAuth callback and authorize query strings whole', () => {
    expect(safeRequestUrl('/v1/oauth/gmail/callback?code=4/abc&state=s1&scope=email')).toBe('/v1/oauth/gmail/callback');
    expect(safeRequestUrl('/v1/oauth/outlook/callback?error=access_denied&state=s1')).toBe('/v1/oauth/outlook/callback');
    expect(safeRequestUrl('/v1/oauth/gmail/authorize?state=s1')).toBe('/v1/oauth/gmail/authorize');
    expect(safeRequestUrl('/V1/OAUTH/gmail/callback?code=x')).toBe('/V1/OAUTH/gmail/callback');
  });

  it('censor credential parameters of any other route, keeping the rest of the query', () => {
    expect(safeRequestUrl('/webhooks/outlook?validationToken=abc%20def')).toBe('/webhooks/outlook?validationToken=[Redacted]');
    expect(safeRequestUrl('/v1/events?after=10&limit=5')).toBe('/v1/events?after=10&limit=5');
    expect(safeRequestUrl('/anything?limit=1&CODE=x&acc%65ss_token=y&token&state=z')).toBe('/anything?limit=1&CODE=[Redacted]&acc%65ss_token=[Redacted]&token=[Redacted]&state=[Redacted]');
  });

  it('leave a URL without a query as it is', () => {
    expect(safeRequestUrl('/v1/connections/conn_1')).toBe('/v1/connections/conn_1');
  });
});

describe('credentials inside text', () => {
  it('censors key=value pairs of OAuth parameters', () => {
    expect(scrubText('GET /cb?code=4/0Aabc&state=xyz failed')).toBe('GET /cb?code=[Redacted]&state=[Redacted] failed');
    expect(scrubText('grant_type=refresh_token&refresh_token=1//0gabc&client_secret=s3cret')).toBe(
      'grant_type=refresh_token&refresh_token=[Redacted]&client_secret=[Redacted]',
    );
  });

  it('censors token fields of JSON bodies quoted in error messages', () => {
    expect(scrubText('token endpoint said {"access_token":"ya29.a0","refresh_token":"1//x","expires_in":3599}')).toBe(
      'token endpoint said {"access_token":"[Redacted]","refresh_token":"[Redacted]","expires_in":3599}',
    );
  });

  it('censors bearer credentials and the shapes of Google tokens and codes', () => {
    expect(scrubText('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig')).toBe('Authorization: Bearer [Redacted]');
    expect(scrubText('token ya29.sandbox-abcdef expired')).toBe('token [Redacted] expired');
    expect(scrubText('refresh 1//sandbox-abcdefgh refused; code 4/sandbox-abcdefgh used')).toBe('refresh [Redacted] refused; code [Redacted] used');
  });

  it('leaves paths and ordinary text alone', () => {
    const text = 'GET https://gmail.googleapis.com/gmail/v1/users/me/messages/18c1 returned 404: Requested entity was not found.';
    expect(scrubText(text)).toBe(text);
  });
});

describe('redact paths', () => {
  it('cover each secret field at the top and one level down, and any headers', () => {
    for (const path of ['refreshToken', '*.refreshToken', 'authorization', '*.authorization', '["set-cookie"]', '*["set-cookie"]', 'taskToken', 'req.headers', 'res.headers']) {
      expect(REDACT_PATHS).toContain(path);
    }
  });
});

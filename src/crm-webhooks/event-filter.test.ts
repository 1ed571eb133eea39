import { describe, expect, it } from 'vitest';
import { endpointWants } from './event-filter';

describe('which events an endpoint gets', () => {
  it('with no list: every type but the opt-in ones', () => {
    expect(endpointWants([], 'message.synced')).toBe(true);
    expect(endpointWants([], 'decision.skipped')).toBe(false);
  });
  it('with a list: only the listed types, opt-in ones included when listed', () => {
    expect(endpointWants(['message.sent', 'decision.skipped'], 'decision.skipped')).toBe(true);
    expect(endpointWants(['message.sent', 'decision.skipped'], 'message.sent')).toBe(true);
    expect(endpointWants(['message.sent'], 'message.synced')).toBe(false);
  });
});

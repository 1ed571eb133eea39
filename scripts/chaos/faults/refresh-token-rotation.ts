import type { Fault } from './types';

export const refreshTokenRotation: Fault = {
  name: 'refresh-token-rotation',
  summary: 'the provider hands out a new refresh token on use and retires the old one (skipped while neither sandbox rotates)',
  providers: ['gmail', 'outlook'],
  unsupported: () =>
    'neither sandbox rotates refresh tokens (Google OAuth in src/sandbox/gmail/oauth/tokens.ts and Entra grants in src/sandbox/microsoft/entra/grants.ts keep one refresh token per consent)',
  async run() {
    throw new Error('refresh-token-rotation has no sandbox support to drive it');
  },
};

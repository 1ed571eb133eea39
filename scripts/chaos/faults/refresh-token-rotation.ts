import type { Fault } from './types';

export const refreshTokenRotation: Fault = {
  name: 'refresh-token-rotation',
  summary: 'the provider hands out a new refresh token on use and later refuses the old one (skipped while the sandboxes cannot retire a used token)',
  providers: ['gmail', 'outlook'],
  unsupported: () =>
    'not measurable on these sandboxes: Entra (src/sandbox/microsoft/entra) issues a new refresh token on every redemption but keeps the old ones valid for ever, ' +
    'and Google (src/sandbox/gmail/oauth) does not rotate; a client that ignores the rotated token loses nothing here. ' +
    'It needs a sandbox control that retires or ages out a used refresh token per mailbox.',
  async run() {
    throw new Error('refresh-token-rotation has no sandbox support to drive it');
  },
};

import type { Router } from '../http/router';
import type { SandboxState } from '../state';
import { runGmailCall, writeGoogleError } from './call';
import { listRoutes } from './list-routes';
import { mailboxRoutes } from './mailbox-routes';
import { messageRoutes } from './messages-routes';
import { sendRoutes } from './send-route';

/** Registers the Gmail API v1 surface (paths as googleapis builds them from rootUrl). */
export function registerGmailRoutes(router: Router, state: SandboxState): void {
  // Specific paths first: /messages/send must not be read as /messages/:id.
  const routes = [...sendRoutes(state), ...listRoutes(), ...mailboxRoutes(state), ...messageRoutes(state)];
  for (const [method, path, gmailMethod, handler] of routes) {
    router.add(method, path, (r) => runGmailCall(state, r, gmailMethod, handler), writeGoogleError);
  }
}

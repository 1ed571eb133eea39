import { randomBytes, randomUUID } from 'node:crypto';
import { generateMessageId } from './mime/message-id';

/** Every id mailsync mints, in one place. Keys and secrets (token cipher, Graph clientState) are not ids and live with their users. */

const token = (bytes: number) => randomBytes(bytes).toString('base64url').replace(/[-_]/g, '').toLowerCase().slice(0, bytes * 2);

export const newAccountId = () => `acct_${token(10)}`;
export const newConnectionId = () => `conn_${token(10)}`;
export const newMessageId = () => `msg_${token(12)}`;
export const newConversationId = () => `conv_${token(10)}`;
export const newWebhookEndpointId = () => `whep_${token(10)}`;

/** A contact made from a recipient (R18): readable from the address, unique by the time it was made. */
export const newContactId = (email: string) => `ct_${email.replace(/[^a-z0-9]/g, '_').slice(0, 40)}_${Date.now().toString(36)}`;

/** Each connection gets its own BCC address (R18): unguessable, so only the user's own mail carries it. */
export const newBccAddress = (domain: string) => `bcc-${token(12)}@${domain}`;

/** The one-time state of a consent flow: unguessable, it is what binds the provider's redirect to its start. */
export const newOAuthState = () => randomBytes(24).toString('base64url');

/** The RFC Message-ID of a CRM send, known before any provider call. */
export const newRfcMessageId = (domain: string) => generateMessageId(domain, randomUUID());

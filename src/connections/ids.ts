import { randomBytes } from 'node:crypto';

const token = (bytes: number) => randomBytes(bytes).toString('base64url').replace(/[-_]/g, '').toLowerCase().slice(0, bytes * 2);

export const newAccountId = () => `acct_${token(10)}`;
export const newConnectionId = () => `conn_${token(10)}`;
export const newMessageId = () => `msg_${token(12)}`;
export const newConversationId = () => `conv_${token(10)}`;

/** Each connection gets its own BCC address (R18): unguessable, so only the user's own mail carries it. */
export const newBccAddress = (domain: string) => `bcc-${token(12)}@${domain}`;

export { buildMime, MimeBuildError, type BuildMimeOptions } from './build';
export { parseMime } from './parse';
export { gmailPayloadToParsed } from './gmail-payload';
export { graphMessageToParsed, type GraphMessage, type GraphRecipient, type GraphAttachment } from './graph-message';
export { generateMessageId, normalizeMessageId, splitMessageIds, MessageIdError } from './message-id';
export type * from './types';

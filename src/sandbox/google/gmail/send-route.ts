import type { gmail_v1 } from 'googleapis';
import { badRequest, GoogleApiError, invalidArgument } from '../http/google-errors';
import { isRecord, parseJsonBody, readBody } from '../http/io';
import { parseRelated } from '../http/multipart';
import { sendAsAccount } from '../mail/transport';
import type { SandboxState } from '../state';
import type { GmailCall } from './call';
import type { GmailRoute } from './messages-routes';

interface SendRequest {
  raw: Buffer;
  threadId?: string;
}

const RAW_REQUIRED = "'raw' RFC822 payload message string or uploading message via /upload/* URL required";

function fromResource(resource: unknown): { raw?: string; threadId?: string } {
  if (!isRecord(resource)) throw new GoogleApiError(400, 'Invalid JSON payload received.', 'parseError');
  const raw = typeof resource.raw === 'string' && resource.raw ? resource.raw : undefined;
  const threadId = typeof resource.threadId === 'string' && resource.threadId ? resource.threadId : undefined;
  return { raw, threadId };
}

/** Gmail takes base64url; the JSON bytes decoder also accepts standard base64. */
const decodeRaw = (raw: string) => Buffer.from(raw.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');

async function readSendRequest(state: SandboxState, call: GmailCall, upload: boolean): Promise<SendRequest> {
  const body = await readBody(call.req, state.options.maxRequestBytes);
  if (!upload) {
    const { raw, threadId } = fromResource(parseJsonBody(body));
    if (!raw) throw badRequest(RAW_REQUIRED);
    return { raw: decodeRaw(raw), threadId };
  }
  const uploadType = call.url.searchParams.get('uploadType') ?? 'media';
  if (uploadType === 'media') return { raw: body };
  if (uploadType !== 'multipart') throw invalidArgument(`The sandbox does not support uploadType=${uploadType}; use media or multipart`);
  const parts = parseRelated(body, call.req.headers['content-type']);
  const resourcePart = parts?.find((p) => p.contentType === 'application/json');
  const media = parts?.find((p) => p !== resourcePart);
  if (!media) throw badRequest(RAW_REQUIRED);
  const resource = resourcePart ? fromResource(parseJsonBody(resourcePart.body)) : {};
  return { raw: media.body, threadId: resource.threadId };
}

async function send(state: SandboxState, call: GmailCall, upload: boolean): Promise<gmail_v1.Schema$Message> {
  const request = await readSendRequest(state, call, upload);
  if (request.raw.length > state.options.maxMessageBytes) {
    throw new GoogleApiError(400, `Message too large: the limit is ${state.options.maxMessageBytes} bytes.`, 'invalidArgument');
  }
  const stored = await sendAsAccount(state, call.account, request.raw, { requestedThreadId: request.threadId, now: Date.now() });
  call.account.counters.sendsAccepted++;
  return { id: stored.id, threadId: stored.threadId, labelIds: [...stored.labelIds] };
}

export function sendRoutes(state: SandboxState): GmailRoute[] {
  return [
    ['POST', '/gmail/v1/users/:userId/messages/send', 'messages.send', (call) => send(state, call, false)],
    ['POST', '/upload/gmail/v1/users/:userId/messages/send', 'messages.send', (call) => send(state, call, true)],
  ];
}

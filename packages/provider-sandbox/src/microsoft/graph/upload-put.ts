import { header, type Req } from '../http/request';
import { GraphHttpError, empty, json, type HttpResponse } from '../http/respond';
import { storedAttachment } from '../mail/compose';
import type { Services } from './context';
import { guarded } from './guard';
import { UploadSessions, type UploadSession } from './upload-sessions';

function finish(services: Services, session: UploadSession): HttpResponse {
  const mailbox = services.state.mailbox(session.mailboxAddress);
  const message = mailbox?.find(session.messageId);
  if (!mailbox || !message) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const attachment = storedAttachment(session.name, session.contentType, Buffer.concat(session.chunks), session.isInline, session.contentId);
  message.attachments.push(attachment);
  mailbox.touch(message);
  services.uploads.delete(session.token);
  const location = `${services.config.origin}/v1.0/Users('${mailbox.userId}')/Messages('${message.restId}')/Attachments('${attachment.id}')`;
  return empty(201, { Location: location });
}

/** One PUT of an upload session: bytes must arrive in order, with Content-Range naming the total size. */
function putChunk(services: Services, session: UploadSession, req: Req): HttpResponse {
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header(req, 'content-range') ?? '');
  if (!range) throw new GraphHttpError(400, 'ErrorInvalidRequest', 'Content-Range header is required: bytes start-end/total.');
  const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
  if (total !== session.size || start !== session.received || end < start || end - start + 1 !== req.body.length || end >= total) {
    throw new GraphHttpError(416, 'ErrorInvalidRange', `The range is not valid; next expected range is ${session.received}-.`);
  }
  session.chunks.push(req.body);
  session.received = end + 1;
  if (session.received === session.size) return finish(services, session);
  return json(200, UploadSessions.status(session));
}

/** PUT/DELETE on an upload URL (served on the sandbox origin instead of outlook.office.com). */
export async function handleUpload(services: Services, req: Req): Promise<HttpResponse> {
  const token = req.segments[2] ?? '';
  const session = services.uploads.get(token);
  if (!session) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The upload session was not found or has expired.');
  if (req.method === 'DELETE') {
    services.uploads.delete(token);
    return empty(204);
  }
  if (req.method !== 'PUT') throw new GraphHttpError(405, 'ErrorInvalidRequest', 'Use PUT to upload a range.');
  return guarded(services, session.mailboxAddress, 'attachments.uploadChunk', req.ids, () => putChunk(services, session, req));
}

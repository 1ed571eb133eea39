/** Size limits of Graph mail (provider-facts 2.5), as observed on Exchange Online. */

/** Graph refuses request bodies over 4 MB (413). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** A file attached in one POST (or inline in a message) must stay under 3 MB. */
export const MAX_INLINE_ATTACHMENT_BYTES = 3 * 1024 * 1024;

/** createUploadSession refuses smaller files (ErrorAttachmentSizeShouldNotBeLessThanMinimumSize); 2 MiB observed. */
export const MIN_UPLOAD_SESSION_BYTES = 2 * 1024 * 1024;

export const MAX_UPLOAD_SESSION_BYTES = 150 * 1024 * 1024;

/** Default Exchange Online maximum message size (send). */
export const MAX_MESSAGE_BYTES = 35 * 1024 * 1024;

/** Upload chunks may be bigger than ordinary requests but not unbounded. */
export const MAX_UPLOAD_CHUNK_BYTES = 60 * 1024 * 1024;

/** internetMessageHeaders on create/send: x- headers only, at most five. */
export const MAX_CUSTOM_HEADERS = 5;

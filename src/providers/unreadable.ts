/**
 * Thrown by an adapter when a message's bytes came but cannot be used: they do not parse as a message
 * (`parse`), or even its headers-and-text form is over the read bound (`too_large`). The same bytes
 * fail the same way next time, unlike a provider error.
 */
export class MessageUnreadableError extends Error {
  constructor(
    readonly kind: 'parse' | 'too_large',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessageUnreadableError';
  }
}

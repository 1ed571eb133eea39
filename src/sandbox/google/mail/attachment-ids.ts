import { newToken } from '../ids';

interface AttachmentRef {
  messageId: string;
  partId: string;
}

const MAX_LIVE_IDS = 20_000;

/**
 * Gmail attachment ids change on every messages.get (provider-facts 1.3), so clients must not
 * store them. The sandbox mints a fresh id per read and remembers the most recent ones.
 */
export class AttachmentIds {
  private readonly live = new Map<string, AttachmentRef>();

  mint(messageId: string, partId: string): string {
    const id = newToken('ANGjdJ', 60);
    this.live.set(id, { messageId, partId });
    if (this.live.size > MAX_LIVE_IDS) this.live.delete(this.live.keys().next().value!);
    return id;
  }

  resolve(id: string): AttachmentRef | undefined {
    return this.live.get(id);
  }
}

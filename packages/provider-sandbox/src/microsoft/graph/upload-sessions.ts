import { graphTime, newOpaqueToken } from '../ids';

export interface UploadSession {
  token: string;
  mailboxAddress: string;
  messageId: string;
  name: string;
  contentType: string;
  isInline: boolean;
  contentId: string | null;
  size: number;
  chunks: Buffer[];
  received: number;
  expiresAt: number;
}

const LIFETIME_MS = 24 * 3600 * 1000;

/** Upload sessions for attachments of 3-150 MB; their URLs are pre-authenticated. */
export class UploadSessions {
  private sessions = new Map<string, UploadSession>();

  create(init: Omit<UploadSession, 'token' | 'chunks' | 'received' | 'expiresAt'>): UploadSession {
    const session: UploadSession = { ...init, token: newOpaqueToken(), chunks: [], received: 0, expiresAt: Date.now() + LIFETIME_MS };
    this.sessions.set(session.token, session);
    return session;
  }

  get(token: string): UploadSession | undefined {
    const s = this.sessions.get(token);
    if (s && s.expiresAt <= Date.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return s;
  }

  delete(token: string): void {
    this.sessions.delete(token);
  }

  static status(s: UploadSession): { expirationDateTime: string; nextExpectedRanges: string[] } {
    return { expirationDateTime: graphTime(s.expiresAt), nextExpectedRanges: [`${s.received}-`] };
  }
}

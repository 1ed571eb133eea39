import { numericId } from '../ids';

export const PUSH_SUBSCRIPTION = 'projects/sandbox/subscriptions/mailsync';

export interface PushEnvelope {
  message: {
    data: string;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
    attributes: Record<string, string>;
  };
  subscription: string;
}

/**
 * The body Pub/Sub POSTs for a Gmail notification: standard base64 of `{emailAddress, historyId}`,
 * with historyId a JSON number as Gmail publishes it, and both spellings of the id and time fields.
 */
export function pushEnvelope(emailAddress: string, historyId: number, now = new Date()): PushEnvelope {
  const data = Buffer.from(JSON.stringify({ emailAddress, historyId })).toString('base64');
  const messageId = numericId(16);
  const publishTime = now.toISOString();
  return {
    message: { data, messageId, message_id: messageId, publishTime, publish_time: publishTime, attributes: {} },
    subscription: PUSH_SUBSCRIPTION,
  };
}

/** Pub/Sub push counts these answers as an acknowledgement; anything else is retried. */
export const isAck = (status: number): boolean => [102, 200, 201, 202, 204].includes(status);

import type { GmailMethod } from '../types';

/** Quota units per method (provider-facts 1.8, the widely used table; watch per the 2026 report). */
export const DEFAULT_UNITS: Readonly<Record<GmailMethod, number>> = {
  getProfile: 1,
  watch: 100,
  stop: 50,
  'history.list': 2,
  'labels.list': 1,
  'messages.list': 5,
  'messages.get': 5,
  'messages.attachments.get': 5,
  'messages.send': 100,
  'messages.insert': 25,
  'messages.import': 25,
  'messages.modify': 5,
  'messages.trash': 5,
  'messages.untrash': 5,
  'messages.delete': 10,
  'threads.get': 10,
  'threads.list': 10,
};

import { OPT_IN_EVENT_TYPES, type EventType } from '../event-types';

/**
 * Whether an endpoint gets an event type. An empty list means every type except the opt-in ones
 * (`decision.skipped`), which an endpoint gets only by listing them.
 */
export function endpointWants(eventTypes: readonly string[], type: string): boolean {
  if (eventTypes.length === 0) return !OPT_IN_EVENT_TYPES.includes(type as EventType);
  return eventTypes.includes(type);
}

-- Feed positions in commit order. `id` is drawn from a sequence when a row is inserted, inside
-- transactions that can run for a while (a sync page), so ids commit out of order and a reader that
-- follows `id > after` passes ids that commit later. `position` is given after commit, by one sequencer
-- at a time (src/db/repositories/events.ts), so a reader never passes an event it has not seen.
-- Frozen once released; change it with a new file.
ALTER TABLE events ADD COLUMN position bigint;
UPDATE events SET position = id;
CREATE UNIQUE INDEX events_position ON events (position) WHERE position IS NOT NULL;
CREATE INDEX events_unsequenced ON events (id) WHERE position IS NULL;

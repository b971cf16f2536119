-- Call timers live in the row, where every node (and the next start of this one)
-- sees them: when a ring becomes missed, and when a connected call whose party's
-- device is gone ends as connection_lost (NULL while both devices are connected).
ALTER TABLE calls ADD COLUMN ring_deadline BIGINT;
ALTER TABLE calls ADD COLUMN grace_deadline BIGINT;

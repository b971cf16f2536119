-- When the answering pair first reported media flowing. A call answered but never
-- flowing is logged as failed (duration 0) instead of as a completed call.
ALTER TABLE calls ADD COLUMN media_at INTEGER;

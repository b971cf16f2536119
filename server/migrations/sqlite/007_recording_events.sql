-- The consent record of call recordings: who asked, who accepted or declined,
-- when it started, paused, resumed and stopped, and by whom. Never media.
CREATE TABLE recording_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('requested', 'accepted', 'declined', 'expired', 'paused', 'resumed', 'stopped')),
  user_id TEXT,
  at INTEGER NOT NULL,
  -- With 'requested': the deadline for an answer (kept, so a late answer is refused even after a restart).
  expires_at INTEGER,
  reason TEXT,
  detail TEXT
);
CREATE INDEX recording_events_by_call ON recording_events (call_id, id);

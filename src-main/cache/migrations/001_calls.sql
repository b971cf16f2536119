-- The cached call log: one row per call, as the server last reported it.
CREATE TABLE calls (
  id            TEXT PRIMARY KEY,
  caller_id     TEXT NOT NULL,
  callee_id     TEXT NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('voice', 'video')),
  status        TEXT NOT NULL CHECK (status IN ('ringing', 'connected', 'ended', 'missed', 'declined')),
  created_at    TEXT NOT NULL,
  answered_at   TEXT,
  ended_at      TEXT,
  duration_sec  INTEGER NOT NULL DEFAULT 0 CHECK (duration_sec >= 0),
  end_reason    TEXT
);

-- History is read newest first.
CREATE INDEX calls_created_at ON calls (created_at DESC, id DESC);

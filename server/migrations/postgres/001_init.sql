CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  partner_id TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  family_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE invites (
  code TEXT PRIMARY KEY,
  inviter_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by TEXT REFERENCES users(id)
);

CREATE TABLE calls (
  id TEXT PRIMARY KEY,
  caller_id TEXT NOT NULL REFERENCES users(id),
  callee_id TEXT NOT NULL REFERENCES users(id),
  couple_key TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('voice', 'video')),
  status TEXT NOT NULL CHECK (status IN ('ringing', 'connected', 'ended', 'missed', 'declined')),
  created_at BIGINT NOT NULL,
  answered_at BIGINT,
  ended_at BIGINT,
  duration_sec INTEGER NOT NULL DEFAULT 0,
  end_reason TEXT,
  caller_device TEXT NOT NULL,
  callee_device TEXT
);
CREATE INDEX calls_by_caller ON calls (caller_id, created_at DESC, id DESC);
CREATE INDEX calls_by_callee ON calls (callee_id, created_at DESC, id DESC);
CREATE INDEX calls_missed ON calls (callee_id, created_at) WHERE status = 'missed';
CREATE UNIQUE INDEX calls_one_live_per_couple ON calls (couple_key) WHERE status IN ('ringing', 'connected');

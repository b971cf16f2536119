-- Planned calls. A plan belongs to a couple (couple_key, as on calls) and keeps
-- its first occurrence as a wall-clock time in its creator's zone, so repeats
-- stay at that time across daylight-saving changes.
CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  couple_key TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  type TEXT NOT NULL CHECK (type IN ('voice', 'video')),
  start_local TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  -- the repeat as JSON (null: once)
  rule TEXT,
  note TEXT NOT NULL DEFAULT '',
  remind_minutes INTEGER NOT NULL,
  -- skipped occurrences as a JSON array of epoch ms
  skipped TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('active', 'canceled')),
  -- the last occurrence: past it the plan is over
  ends_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX plans_active_by_couple ON plans (couple_key, ends_at) WHERE status = 'active';

-- One row per occurrence and kind: due times live here, not in a process's
-- timers, so any node sweeps them and a restart loses none. A node claims a
-- row (claimed_until is its lease) before delivering it.
CREATE TABLE plan_reminders (
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  occurrence_at BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('lead', 'now')),
  due_at BIGINT NOT NULL,
  claimed_by TEXT,
  claimed_until BIGINT,
  sent_at BIGINT,
  PRIMARY KEY (plan_id, occurrence_at, kind)
);
CREATE INDEX plan_reminders_due ON plan_reminders (due_at) WHERE sent_at IS NULL;

-- Which device already got which reminder: a reminder reaches each device once,
-- whichever node (or a node after a restart) delivers it.
CREATE TABLE plan_reminder_deliveries (
  plan_id TEXT NOT NULL,
  occurrence_at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  delivered_at BIGINT NOT NULL,
  PRIMARY KEY (plan_id, occurrence_at, kind, user_id, device_id),
  FOREIGN KEY (plan_id, occurrence_at, kind) REFERENCES plan_reminders (plan_id, occurrence_at, kind) ON DELETE CASCADE
);

-- The IANA zone each user's devices last reported.
CREATE TABLE user_time_zones (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  time_zone TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

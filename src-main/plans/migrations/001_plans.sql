-- The couple's plans as the server last sent them (the server's copy wins: each
-- sync replaces them all), so reminders fire from here while it is unreachable.
CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  -- the plan as the wire carries it (PlanSchema), checked again when read
  json TEXT NOT NULL
);

-- Reminders this device has shown, from its own timer or from the server's
-- event, whichever came first: none is shown twice.
CREATE TABLE fired_reminders (
  plan_id TEXT NOT NULL,
  occurrence_at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('lead', 'now')),
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (plan_id, occurrence_at, kind)
);

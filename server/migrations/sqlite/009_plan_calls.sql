-- Which call was made for which planned occurrence, decided by the server when
-- the call starts: with "Call now" from a reminder (via 'call-now') or, without
-- it, by starting near the occurrence's time (via 'time'). One row per call;
-- an occurrence may have several attempts, and it was made when one of them
-- was answered (calls.answered_at).
CREATE TABLE plan_calls (
  call_id TEXT PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  occurrence_at INTEGER NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('call-now', 'time'))
);
CREATE INDEX plan_calls_by_occurrence ON plan_calls (plan_id, occurrence_at);

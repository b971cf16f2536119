-- Finding a user's live call (ringing or connected) must not read their whole
-- history: it runs on every call event and every socket connect.
CREATE INDEX calls_live_by_caller ON calls (caller_id) WHERE status IN ('ringing', 'connected');
CREATE INDEX calls_live_by_callee ON calls (callee_id) WHERE status IN ('ringing', 'connected');

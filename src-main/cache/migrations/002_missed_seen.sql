-- The tray badge counts missed calls the user has not looked at yet.
ALTER TABLE calls ADD COLUMN seen INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1));

CREATE INDEX calls_unseen_missed ON calls (callee_id) WHERE status = 'missed' AND seen = 0;

-- Ends written but not yet confirmed told to the devices (call:ended and the
-- partners' presence). The row is written by the same statement or transaction
-- as the end itself and removed by the node that published it; any node's sweep
-- re-publishes a row past its due time (the publisher died) and, to keep two
-- sweeping nodes from re-sending together, claims it by moving due_at on.
CREATE TABLE call_end_outbox (
  call_id TEXT PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
  due_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX call_end_outbox_due ON call_end_outbox (due_at);

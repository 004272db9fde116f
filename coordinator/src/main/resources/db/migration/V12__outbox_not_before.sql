-- A task is not dispatched before its not_before: probes that expect a responder wait until the responder
-- tasks of the same survey (dispatched at once) have had time to reach their agents and open.
ALTER TABLE outbox ADD COLUMN not_before timestamptz NOT NULL DEFAULT now();

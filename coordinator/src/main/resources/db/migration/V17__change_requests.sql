-- The change request of a completed survey (issue 16): per device, the exact changes its verdicts ask for, as
-- the JSON of dev.vantage.change.ChangeRequest. Written with the verdicts, in the transaction that completes the
-- survey, from the same analysis; surveys completed before this table have none. Numbered 15.2 so that a V15
-- written in parallel sorts before it.
CREATE TABLE change_request (
    survey_id uuid  PRIMARY KEY REFERENCES survey (id) ON DELETE CASCADE,
    body      jsonb NOT NULL
);

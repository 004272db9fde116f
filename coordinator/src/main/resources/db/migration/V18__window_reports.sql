-- Responder receipts (issue 14). A respond task has up to two results from its agent: the report when its
-- window opened (the task's answer, task_answer) and the closing report with what reached the window. The
-- closing report is stored in result like every result and recorded here, once per task, insert-only like
-- task_answer (INSERT ... ON CONFLICT DO NOTHING keeps the first, also between replicas).
CREATE TABLE window_report (
    survey_id   uuid        NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    task_id     uuid        NOT NULL,
    result_id   uuid        NOT NULL,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (survey_id, task_id)
);

-- A survey whose tasks are all answered is 'closing' while it waits for the closing reports of the windows
-- that opened (windows_opened: respond tasks answered LISTENED; windows_reported: closing reports stored), at
-- most vantage.surveys.receipt-grace after closing_at, and never beyond its deadline.
ALTER TABLE survey
    ADD COLUMN windows_opened   integer NOT NULL DEFAULT 0,
    ADD COLUMN windows_reported integer NOT NULL DEFAULT 0,
    ADD COLUMN closing_at       timestamptz;
ALTER TABLE survey DROP CONSTRAINT survey_state_check;
ALTER TABLE survey ADD CONSTRAINT survey_state_check CHECK (state IN ('running', 'closing', 'completed'));
CREATE INDEX survey_closing_idx ON survey (closing_at) WHERE state = 'closing';

-- The media option of post-install surveys (on unless the request or the schedule switches it off): the stack's
-- responder takes the free ports of the catalog's media ranges (RTP) and their probes expect it.
ALTER TABLE survey ADD COLUMN media_responder boolean NOT NULL DEFAULT false;
ALTER TABLE survey_schedule ADD COLUMN media_responder boolean NOT NULL DEFAULT true;

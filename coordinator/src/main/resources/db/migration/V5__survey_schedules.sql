-- Surveys on a schedule: one cron expression per site (UNIX cron, five fields, evaluated in UTC).
CREATE TABLE survey_schedule (
    site_id         text        PRIMARY KEY REFERENCES site (id) ON DELETE CASCADE,
    cron            text        NOT NULL,
    mode            text        NOT NULL CHECK (mode IN ('pre-install', 'post-install')),
    next_run_at     timestamptz NOT NULL,
    last_survey_id  uuid,
    updated_at      timestamptz NOT NULL,
    updated_by      text        NOT NULL
);

CREATE INDEX survey_schedule_due_idx ON survey_schedule (next_run_at);

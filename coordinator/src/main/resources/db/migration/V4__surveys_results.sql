-- Surveys, their tasks, the dispatch outbox, results (partitioned by time), the latest status per
-- probe, and verdicts. Ids are UUIDs or sequences, never IDENTITY, so inserts can be batched.

CREATE TABLE survey (
    id            uuid        PRIMARY KEY,
    site_id       text        NOT NULL,
    site_version  integer     NOT NULL,
    catalog       text        NOT NULL,
    mode          text        NOT NULL CHECK (mode IN ('pre-install', 'post-install')),
    state         text        NOT NULL CHECK (state IN ('running', 'completed')),
    task_count    integer     NOT NULL,
    -- the planner's status of every requirement (JSON list of RequirementPlan), as planned at the start
    plan          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    deadline_at   timestamptz NOT NULL,
    completed_at  timestamptz,
    -- why it completed: 'all-results' or 'deadline'
    completion    text,
    FOREIGN KEY (site_id, site_version) REFERENCES site_version (site_id, version) ON DELETE CASCADE
);
CREATE INDEX survey_site_idx ON survey (site_id, created_at DESC);
CREATE INDEX survey_running_idx ON survey (deadline_at) WHERE state = 'running';

-- One row per task sent to one agent. The task JSON is kept so that ingest can check a result
-- against what was asked, and the analysis sees the tasks as dispatched.
CREATE TABLE survey_task (
    survey_id      uuid        NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    task_id        uuid        NOT NULL,
    agent_id       text        NOT NULL,
    vantage        text        NOT NULL,
    requirement_id text        NOT NULL,
    task           text        NOT NULL,
    result_id      uuid,
    answered_at    timestamptz,
    PRIMARY KEY (survey_id, task_id)
);
CREATE INDEX survey_task_open_idx ON survey_task (survey_id) WHERE result_id IS NULL;

-- Tasks waiting to be published. Written in the transaction that creates the survey; the dispatcher
-- claims rows with FOR UPDATE SKIP LOCKED (so replicas never send the same row at the same time),
-- signs and publishes them, and deletes them once the broker has acknowledged.
CREATE SEQUENCE outbox_id_seq;
CREATE TABLE outbox (
    id          bigint      PRIMARY KEY DEFAULT nextval('outbox_id_seq'),
    survey_id   uuid        NOT NULL,
    task_id     uuid        NOT NULL,
    topic       text        NOT NULL,
    message_key text        NOT NULL,
    created_at  timestamptz NOT NULL,
    FOREIGN KEY (survey_id, task_id) REFERENCES survey_task (survey_id, task_id) ON DELETE CASCADE
);

-- Results as the agents reported them, append-only, partitioned by month of the probe's start time.
-- The primary key must contain the partition key; a re-sent result carries the same id and start time,
-- so INSERT ... ON CONFLICT DO NOTHING keeps exactly one row.
CREATE TABLE result (
    result_id      uuid        NOT NULL,
    started_at     timestamptz NOT NULL,
    ingested_at    timestamptz NOT NULL,
    survey_id      uuid        NOT NULL,
    task_id        uuid        NOT NULL,
    site_id        text        NOT NULL,
    requirement_id text        NOT NULL,
    vantage        text        NOT NULL,
    agent_id       text        NOT NULL,
    kind           text        NOT NULL,
    target         text        NOT NULL,
    ports          text,
    outcome        text        NOT NULL,
    summary        text,
    body           jsonb       NOT NULL,
    PRIMARY KEY (result_id, started_at)
) PARTITION BY RANGE (started_at);
-- time-range scans over months of history: a BRIN index is tiny and fits append-only, time-ordered data
CREATE INDEX result_started_brin ON result USING brin (started_at);
-- history of one requirement/vantage/target at a site
CREATE INDEX result_history_idx ON result (site_id, requirement_id, vantage, target, started_at);
CREATE INDEX result_survey_idx ON result (survey_id);

-- Creates the monthly partitions from last month to months_ahead months ahead (UTC month boundaries).
-- Called here and by the coordinator's daily partition job; an advisory lock keeps replicas apart.
CREATE FUNCTION vantage_create_result_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    m       date := (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date;
    last    date := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead))::date;
    created integer := 0;
    name    text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('vantage_create_result_partitions'));
    WHILE m <= last LOOP
        name := 'result_' || to_char(m, 'YYYY_MM');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF result FOR VALUES FROM (%L) TO (%L)', name,
                           m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$$;
SELECT vantage_create_result_partitions(3);

-- The latest observation per probe, maintained on ingest so the readiness matrix never scans history.
-- 'probe' (kind and ports, e.g. 'tcp 443') is part of the key because one requirement may probe several
-- ports of the same target from the same vantage.
CREATE TABLE latest_status (
    site_id        text        NOT NULL,
    requirement_id text        NOT NULL,
    vantage        text        NOT NULL,
    target         text        NOT NULL,
    probe          text        NOT NULL,
    outcome        text        NOT NULL,
    result_id      uuid        NOT NULL,
    survey_id      uuid        NOT NULL,
    agent_id       text        NOT NULL,
    started_at     timestamptz NOT NULL,
    summary        text,
    PRIMARY KEY (site_id, requirement_id, vantage, target, probe)
);

-- Verdicts per requirement per survey, as the analysis returned them.
CREATE TABLE verdict (
    survey_id           uuid    NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    requirement_id      text    NOT NULL,
    verdict             text    NOT NULL CHECK (verdict IN ('PASS', 'FAIL', 'PARTIAL', 'UNTESTED', 'NOT_APPLICABLE',
                                                            'INCONCLUSIVE')),
    severity            text    NOT NULL,
    diagnosis_code      text    NOT NULL,
    diagnosis           text    NOT NULL,
    evidence_result_ids uuid[]  NOT NULL DEFAULT '{}',
    PRIMARY KEY (survey_id, requirement_id)
);

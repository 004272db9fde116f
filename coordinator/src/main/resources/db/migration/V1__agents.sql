-- Agents known to the coordinator, maintained from their heartbeats.
CREATE TABLE agent (
    id               text        PRIMARY KEY,
    site_id          text        NOT NULL,
    roles            jsonb       NOT NULL DEFAULT '[]',
    version          text        NOT NULL,
    capabilities     jsonb       NOT NULL DEFAULT '[]',
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    agent_clock_at   timestamptz NOT NULL
);

CREATE INDEX agent_site_idx ON agent (site_id);

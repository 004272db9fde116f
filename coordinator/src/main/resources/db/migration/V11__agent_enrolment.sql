-- Enrolment of agents (coordinator/README.md, "Agent enrolment"). An agent listed in its site's vantages is
-- approved by the site file with its first trusted heartbeat; any other is PENDING until an operator
-- approves (with the roles it may play) or rejects it. heartbeat_problem says why the last heartbeat was
-- not trusted (site unknown, roles the site does not give the agent, another site than the enrolled one).
ALTER TABLE agent
    ADD COLUMN enrolment         text NOT NULL DEFAULT 'PENDING'
        CHECK (enrolment IN ('PENDING', 'APPROVED', 'REJECTED')),
    ADD COLUMN approved_roles    jsonb,
    ADD COLUMN decided_by        text,
    ADD COLUMN decided_at        timestamptz,
    ADD COLUMN heartbeat_problem text;

-- agents known before enrolment existed got tasks when their site listed them; they keep doing so
UPDATE agent SET enrolment = 'APPROVED', decided_by = 'migration V11', decided_at = now();

-- The vantages a survey used (site file vantages less rejected or untrusted agents, plus agents approved
-- over the API) and the agents it left out, with the reason; null vantages: the site version's own.
ALTER TABLE survey
    ADD COLUMN vantages        jsonb,
    ADD COLUMN excluded_agents jsonb NOT NULL DEFAULT '{}';

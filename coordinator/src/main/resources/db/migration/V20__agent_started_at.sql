-- When each agent's process started, by its own clock, from its heartbeats (null until a heartbeat says). A closing
-- survey stops waiting for the closing reports of windows their agent opened before it restarted: they were lost
-- with the process before and never come (completion 'agent-restarted').
ALTER TABLE agent ADD COLUMN started_at timestamptz;

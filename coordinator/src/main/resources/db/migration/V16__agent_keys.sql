-- Each agent signs its results with its own Ed25519 key and announces the public key in its heartbeats
-- (coordinator/README.md, "Signed results"). key_id/public_key: the key bound to the agent id, the only one
-- its results are accepted with; bound by the approval (site file listing with the first trusted heartbeat,
-- or an operator). pending_*: a key the agent announces that is not the bound one, trusted for nothing
-- until an operator approves it (POST /agents/{id}/key/approve).
-- Agents known before this migration have no key yet: the first key an approved agent announces in a trusted
-- heartbeat is bound (the upgrade is trust on first use, as a new listed agent's first heartbeat is).
ALTER TABLE agent
    ADD COLUMN key_id              text,
    ADD COLUMN public_key          text,
    ADD COLUMN key_bound_at        timestamptz,
    ADD COLUMN key_bound_by        text,
    ADD COLUMN pending_key_id      text,
    ADD COLUMN pending_public_key  text,
    ADD COLUMN pending_key_seen_at timestamptz,
    ADD CONSTRAINT agent_key_whole CHECK ((key_id IS NULL) = (public_key IS NULL)),
    ADD CONSTRAINT agent_pending_key_whole CHECK ((pending_key_id IS NULL) = (pending_public_key IS NULL));

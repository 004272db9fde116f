-- API tokens. Only the SHA-256 of the secret is stored; the secret is shown once when issued.
CREATE TABLE api_token (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    secret_hash  text        NOT NULL UNIQUE,
    role         text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    -- null: every site; otherwise the JSON array of site ids the token may see
    sites        jsonb,
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    revoked_at   timestamptz
);

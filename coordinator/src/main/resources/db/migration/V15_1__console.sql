-- The operations console (issue 15). Numbered 15.1 so that a V15 written in parallel sorts before it.

-- What the analysis said about each result of a completed survey (one check per result): the matrix shows it
-- in the result's cell, the survey page beside the result's evidence. Written with the verdicts, in the
-- transaction that completes the survey; a cell whose latest result belongs to a survey still running has none.
CREATE TABLE result_check (
    survey_id      uuid NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    result_id      uuid NOT NULL,
    requirement_id text NOT NULL,
    verdict        text NOT NULL CHECK (verdict IN ('PASS', 'FAIL', 'PARTIAL', 'INCONCLUSIVE')),
    diagnosis_code text,
    diagnosis      text,
    -- the matrix joins latest_status (survey_id, result_id) to it
    PRIMARY KEY (survey_id, result_id)
);

-- Console sessions: the SHA-256 of the session cookie's secret, the SHA-256 of the API token it was opened
-- with (the token is resolved on every request, so revoking it ends its sessions), the CSRF token of its forms.
CREATE TABLE console_session (
    id_hash     text        PRIMARY KEY,
    token_hash  text        NOT NULL,
    csrf        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX console_session_expiry_idx ON console_session (expires_at);

-- One-time sign-in codes (POST /sign-in-links, admin): the SHA-256 of the code and of the token it signs in
-- with; deleted when used, so a link signs in once.
CREATE TABLE console_sign_in_code (
    code_hash   text        PRIMARY KEY,
    token_hash  text        NOT NULL,
    created_by  text        NOT NULL,
    expires_at  timestamptz NOT NULL
);

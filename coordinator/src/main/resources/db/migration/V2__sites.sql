-- Sites: the current version in `site`, every version ever stored in `site_version`, so a survey can
-- name (and re-plan from) exactly the document it ran against.
CREATE TABLE site (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    catalog     text        NOT NULL,
    version     integer     NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE site_version (
    site_id     text        NOT NULL REFERENCES site (id) ON DELETE CASCADE,
    version     integer     NOT NULL,
    -- the document exactly as submitted (YAML or JSON); it is parsed again with Sites.parse when needed
    document    text        NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    PRIMARY KEY (site_id, version)
);

-- Which state of a site's latest_status a readiness matrix shows. Ingest sets a new value in the transaction
-- that moves the site's latest_status, so a coordinator can keep the matrix it built as long as the value
-- has not changed (status.MatrixDocuments). Taken from one sequence for every site: a value is never given
-- twice, not even to a site deleted and created again under the same id.
CREATE SEQUENCE site_status_seq;
ALTER TABLE site ADD COLUMN status_version bigint NOT NULL DEFAULT nextval('site_status_seq');

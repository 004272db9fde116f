-- A survey of chosen requirements (POST /sites/{id}/surveys with "requirements"): their ids, sorted; NULL for a
-- survey of all the catalog's requirements. Such a survey plans, dispatches and judges only those, and never
-- decides go-live (coordinator/README.md, "Surveys of chosen requirements").
ALTER TABLE survey ADD COLUMN requirements text[];

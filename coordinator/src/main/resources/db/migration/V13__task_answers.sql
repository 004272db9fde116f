-- Which result answered each task, in a narrow insert-only table instead of survey_task.result_id.
-- Marking a task answered used to rewrite its survey_task row (the task JSON included) and add an index
-- entry: about as costly as storing the result itself. An answer row is a fraction of that, and its
-- primary key decides the first answer once, also between replicas (INSERT ... ON CONFLICT DO NOTHING).
-- survey.answered counts the answers, moved in the transaction that inserts them, so "all results are
-- in" is a comparison with task_count instead of a search for open tasks after every ingest batch.
CREATE TABLE task_answer (
    survey_id   uuid        NOT NULL,
    task_id     uuid        NOT NULL,
    result_id   uuid        NOT NULL,
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (survey_id, task_id)
);
INSERT INTO task_answer (survey_id, task_id, result_id, answered_at)
SELECT survey_id, task_id, result_id, answered_at FROM survey_task WHERE result_id IS NOT NULL;

ALTER TABLE survey ADD COLUMN answered integer NOT NULL DEFAULT 0;
UPDATE survey s SET answered = (SELECT count(*) FROM task_answer a WHERE a.survey_id = s.id);

DROP INDEX survey_task_open_idx;
ALTER TABLE survey_task DROP COLUMN result_id, DROP COLUMN answered_at;

-- No foreign key to survey_task: its check costs as much again as the answer's insert (a lookup and a row
-- lock per answer). The answers of a deleted survey go with it here instead, once per statement.
CREATE FUNCTION vantage_delete_task_answers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM task_answer a USING gone WHERE a.survey_id = gone.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER survey_delete_task_answers AFTER DELETE ON survey
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION vantage_delete_task_answers();

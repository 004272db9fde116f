-- Retention of results: drops the monthly partitions of the result table that lie entirely before
-- older_than (their upper bound is at or before it). A partition is dropped whole, never emptied row by
-- row, so retention costs no vacuum. latest_status keeps its rows: it holds a copy of what the matrix
-- shows, not a reference into result.
-- Returns the number of partitions dropped, or -1 when another replica holds the lock and is doing it
-- right now (pg_try_advisory_xact_lock: replicas never wait for each other, and each partition is
-- dropped once).
CREATE FUNCTION vantage_drop_result_partitions(older_than timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    p       record;
    dropped integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('vantage_drop_result_partitions')) THEN
        RETURN -1;
    END IF;
    FOR p IN
        SELECT c.oid::regclass AS part,
               -- 'FOR VALUES FROM (''…'') TO (''…'')'; DEFAULT and MAXVALUE bounds do not match and are kept
               substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'result'::regclass
    LOOP
        IF p.upper_bound IS NOT NULL AND p.upper_bound <= older_than THEN
            EXECUTE format('DROP TABLE %s', p.part);
            RAISE NOTICE 'dropped result partition % (results before %)', p.part, p.upper_bound;
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;

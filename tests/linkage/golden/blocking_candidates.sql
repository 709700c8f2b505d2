CREATE OR REPLACE TABLE candidates AS SELECT l_rid, r_rid, min(rule) AS rule FROM blocked GROUP BY l_rid, r_rid

CREATE OR REPLACE TABLE keys_l AS
SELECT 0 AS rule, t.rid, hash(CAST(t.dob_year AS VARCHAR) || '|' || t.part) AS block_key, false AS lacks FROM (SELECT *, unnest(s.name_block_keys) AS part FROM std_l s) t WHERE CAST(t.dob_year AS VARCHAR) || '|' || t.part IS NOT NULL
UNION ALL
SELECT 1 AS rule, t.rid, hash(CASE WHEN t.dob_full THEN substr(t.dob, 6) END || '|' || t.part) AS block_key, false AS lacks FROM (SELECT *, unnest(s.name_block_keys) AS part FROM std_l s) t WHERE CASE WHEN t.dob_full THEN substr(t.dob, 6) END || '|' || t.part IS NOT NULL
UNION ALL
SELECT 2 AS rule, t.rid, hash(CAST(t.dob_year AS VARCHAR) || '|' || t.part) AS block_key, false AS lacks FROM (SELECT *, unnest(s.name_phonetic_keys) AS part FROM std_l s) t WHERE CAST(t.dob_year AS VARCHAR) || '|' || t.part IS NOT NULL
UNION ALL
SELECT 3 AS rule, t.rid, hash(CAST(t.dob_year AS VARCHAR) || '|' || name_spelling_form) AS block_key, false AS lacks FROM std_l t WHERE CAST(t.dob_year AS VARCHAR) || '|' || name_spelling_form IS NOT NULL
UNION ALL
SELECT 4 AS rule, t.rid, hash(CASE WHEN t.dob_full THEN substr(t.dob, 6) END || '|' || t.part) AS block_key, false AS lacks FROM (SELECT *, unnest(s.name_phonetic_keys) AS part FROM std_l s) t WHERE CASE WHEN t.dob_full THEN substr(t.dob, 6) END || '|' || t.part IS NOT NULL
UNION ALL
SELECT 5 AS rule, t.rid, hash(CASE WHEN t.dob_full THEN substr(t.dob, 6) END || '|' || CASE WHEN len(name_parts) > 1 THEN array_to_string(list_sort(name_parts), ' ') END) AS block_key, false AS lacks FROM std_l t WHERE CASE WHEN t.dob_full THEN substr(t.dob, 6) END || '|' || CASE WHEN len(name_parts) > 1 THEN array_to_string(list_sort(name_parts), ' ') END IS NOT NULL
UNION ALL
SELECT 6 AS rule, t.rid, hash(CASE WHEN t.dob_full THEN t.dob END || '|' || t.part) AS block_key, false AS lacks FROM (SELECT *, unnest(s.name_initials) AS part FROM std_l s) t WHERE CASE WHEN t.dob_full THEN t.dob END || '|' || t.part IS NOT NULL
UNION ALL
SELECT 7 AS rule, t.rid, hash(CASE WHEN t.dob_full AND t.dob_day <= 12 AND t.dob_day <> t.dob_month THEN CASE WHEN t.dob_month < t.dob_day THEN t.dob ELSE substr(t.dob, 1, 5) || substr(t.dob, 9, 2) || '-' || substr(t.dob, 6, 2) END END || '|' || nullif(array_to_string(name_initials, ''), '')) AS block_key, false AS lacks FROM std_l t WHERE CASE WHEN t.dob_full AND t.dob_day <= 12 AND t.dob_day <> t.dob_month THEN CASE WHEN t.dob_month < t.dob_day THEN t.dob ELSE substr(t.dob, 1, 5) || substr(t.dob, 9, 2) || '-' || substr(t.dob, 6, 2) END END || '|' || nullif(array_to_string(name_initials, ''), '') IS NOT NULL
UNION ALL
SELECT 8 AS rule, t.rid, hash(CASE WHEN t.dob_full THEN CAST(CAST(floor((date_diff('day', DATE '1970-01-01', t.dob_date) + 0) / 2) AS BIGINT) AS VARCHAR) END || '|' || nullif(array_to_string(name_initials, ''), '')) AS block_key, false AS lacks FROM std_l t WHERE CASE WHEN t.dob_full THEN CAST(CAST(floor((date_diff('day', DATE '1970-01-01', t.dob_date) + 0) / 2) AS BIGINT) AS VARCHAR) END || '|' || nullif(array_to_string(name_initials, ''), '') IS NOT NULL
UNION ALL
SELECT 9 AS rule, t.rid, hash(CASE WHEN t.dob_full THEN CAST(CAST(floor((date_diff('day', DATE '1970-01-01', t.dob_date) + 1) / 2) AS BIGINT) AS VARCHAR) END || '|' || nullif(array_to_string(name_initials, ''), '')) AS block_key, false AS lacks FROM std_l t WHERE CASE WHEN t.dob_full THEN CAST(CAST(floor((date_diff('day', DATE '1970-01-01', t.dob_date) + 1) / 2) AS BIGINT) AS VARCHAR) END || '|' || nullif(array_to_string(name_initials, ''), '') IS NOT NULL
UNION ALL
SELECT 10 AS rule, t.rid, hash(t.part) AS block_key, t.dob_year IS NULL AS lacks FROM (SELECT *, unnest(s.name_block_keys) AS part FROM std_l s) t WHERE t.part IS NOT NULL
UNION ALL
SELECT 11 AS rule, t.rid, hash(t.part) AS block_key, t.dob_year IS NULL AS lacks FROM (SELECT *, unnest(s.name_phonetic_keys) AS part FROM std_l s) t WHERE t.part IS NOT NULL
UNION ALL
SELECT 12 AS rule, t.rid, hash(id_a_number) AS block_key, false AS lacks FROM std_l t WHERE id_a_number IS NOT NULL
UNION ALL
SELECT 13 AS rule, t.rid, hash(id_fbi_number) AS block_key, false AS lacks FROM std_l t WHERE id_fbi_number IS NOT NULL
UNION ALL
SELECT 14 AS rule, t.rid, hash(id_ssn) AS block_key, false AS lacks FROM std_l t WHERE id_ssn IS NOT NULL
UNION ALL
SELECT 15 AS rule, t.rid, hash(id_passport_number) AS block_key, false AS lacks FROM std_l t WHERE id_passport_number IS NOT NULL
UNION ALL
SELECT 16 AS rule, t.rid, hash(id_state_id) AS block_key, false AS lacks FROM std_l t WHERE id_state_id IS NOT NULL
UNION ALL
SELECT 17 AS rule, t.rid, hash(addr_postcode || '|' || addr_street_number) AS block_key, false AS lacks FROM std_l t WHERE addr_postcode || '|' || addr_street_number IS NOT NULL
UNION ALL
SELECT 18 AS rule, t.rid, hash(t.addr_street || '|' || t.addr_street_number || '|' || t.part) AS block_key, false AS lacks FROM (SELECT *, unnest(s.name_initials) AS part FROM std_l s) t WHERE t.addr_street || '|' || t.addr_street_number || '|' || t.part IS NOT NULL
UNION ALL
SELECT 19 AS rule, t.rid, hash(addr_street || '|' || addr_postcode) AS block_key, false AS lacks FROM std_l t WHERE addr_street || '|' || addr_postcode IS NOT NULL

SELECT t.rid, u.part AS block_key FROM std_l t CROSS JOIN UNNEST(t.name_block_keys) AS u(part) WHERE u.part IS NOT NULL
SELECT t.rid, u.part AS block_key FROM std_l t CROSS JOIN UNNEST(t.name_phonetic_keys) AS u(part) WHERE u.part IS NOT NULL
SELECT t.rid, CASE WHEN t.dob_full THEN t.dob END || '|' || u.part AS block_key FROM std_l t CROSS JOIN UNNEST(t.name_initials) AS u(part) WHERE CASE WHEN t.dob_full THEN t.dob END || '|' || u.part IS NOT NULL
SELECT rid, id_a_number AS block_key FROM std_l WHERE id_a_number IS NOT NULL
SELECT rid, id_fbi_number AS block_key FROM std_l WHERE id_fbi_number IS NOT NULL
SELECT rid, id_ssn AS block_key FROM std_l WHERE id_ssn IS NOT NULL
SELECT rid, id_passport_number AS block_key FROM std_l WHERE id_passport_number IS NOT NULL
SELECT rid, id_state_id AS block_key FROM std_l WHERE id_state_id IS NOT NULL
SELECT rid, addr_postcode || '|' || addr_street_number AS block_key FROM std_l WHERE addr_postcode || '|' || addr_street_number IS NOT NULL
SELECT rid, addr_street || '|' || addr_city AS block_key FROM std_l WHERE addr_street || '|' || addr_city IS NOT NULL

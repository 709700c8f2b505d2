CREATE OR REPLACE TABLE std_r AS
SELECT
  b.rid,
  b.record_id,
  n.name_first,
  n.name_first_canon,
  n.name_last,
  n.name_last_key,
  n.name_first_phonetic,
  n.name_last_phonetic,
  n.name_full,
  n.name_key,
  n.name_middle,
  n.name_forms,
  n.name_parts,
  n.name_block_keys,
  n.name_phonetic_keys,
  n.name_initials,
  d.dob,
  d.dob_full,
  d.dob_year,
  d.dob_month,
  d.dob_day,
  d.dob_date,
  d.dob_digits,
  nullif(ltrim(CASE WHEN regexp_full_match(regexp_replace(upper(b.a_number), '[^A-Z0-9]+', '', 'g'), 'A[0-9]+') THEN substr(regexp_replace(upper(b.a_number), '[^A-Z0-9]+', '', 'g'), 2) ELSE regexp_replace(upper(b.a_number), '[^A-Z0-9]+', '', 'g') END, '0'), '') AS id_a_number,
  nullif(ltrim(CASE WHEN regexp_full_match(regexp_replace(upper(b.fbi_number), '[^A-Z0-9]+', '', 'g'), 'A[0-9]+') THEN substr(regexp_replace(upper(b.fbi_number), '[^A-Z0-9]+', '', 'g'), 2) ELSE regexp_replace(upper(b.fbi_number), '[^A-Z0-9]+', '', 'g') END, '0'), '') AS id_fbi_number,
  nullif(ltrim(CASE WHEN regexp_full_match(regexp_replace(upper(b.state_id), '[^A-Z0-9]+', '', 'g'), 'A[0-9]+') THEN substr(regexp_replace(upper(b.state_id), '[^A-Z0-9]+', '', 'g'), 2) ELSE regexp_replace(upper(b.state_id), '[^A-Z0-9]+', '', 'g') END, '0'), '') AS id_state_id,
  nullif(ltrim(CASE WHEN regexp_full_match(regexp_replace(upper(b.ssn), '[^A-Z0-9]+', '', 'g'), 'A[0-9]+') THEN substr(regexp_replace(upper(b.ssn), '[^A-Z0-9]+', '', 'g'), 2) ELSE regexp_replace(upper(b.ssn), '[^A-Z0-9]+', '', 'g') END, '0'), '') AS id_ssn,
  nullif(ltrim(CASE WHEN regexp_full_match(regexp_replace(upper(b.passport_number), '[^A-Z0-9]+', '', 'g'), 'A[0-9]+') THEN substr(regexp_replace(upper(b.passport_number), '[^A-Z0-9]+', '', 'g'), 2) ELSE regexp_replace(upper(b.passport_number), '[^A-Z0-9]+', '', 'g') END, '0'), '') AS id_passport_number,
  sx.value AS sex,
  bc.value AS birth_country,
  cc.value AS citizenship_country,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.street_number, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_street_number,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.street, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_street,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.address_line2, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_line2,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.city, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_city,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.state, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_state,
  nullif(ltrim(CASE WHEN regexp_full_match(regexp_replace(upper(b.postcode), '[^A-Z0-9]+', '', 'g'), 'A[0-9]+') THEN substr(regexp_replace(upper(b.postcode), '[^A-Z0-9]+', '', 'g'), 2) ELSE regexp_replace(upper(b.postcode), '[^A-Z0-9]+', '', 'g') END, '0'), '') AS addr_postcode
FROM raw_r b
JOIN names_r n ON n.rid = b.rid
LEFT JOIN dob_map d ON d.raw = b.dob
LEFT JOIN code_map sx ON sx.kind = 'sex' AND sx.raw = b.sex
LEFT JOIN code_map bc ON bc.kind = 'country' AND bc.raw = b.birth_country
LEFT JOIN code_map cc ON cc.kind = 'country' AND cc.raw = b.citizenship_country

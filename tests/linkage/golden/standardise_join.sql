CREATE OR REPLACE TABLE std_r AS
SELECT
  b.rid + 5000 AS rid,
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
  n.name_romanised,
  CASE WHEN gs.key IS NOT NULL AND len(ss.part_keys) > 0 THEN array_to_string(list_sort(list_distinct(ss.part_keys || [gs.key])), ' ') END AS name_spelling_form,
  fm.father AS name_middle_father,
  ss.part_keys AS name_surname_spellings,
  d.dob,
  d.dob_full,
  d.dob_year,
  d.dob_month,
  d.dob_day,
  d.dob_date,
  d.dob_digits,
  nullif(ltrim(regexp_replace(regexp_replace(upper(b.a_number), '[^A-Z0-9]+', '', 'g'), '^A([0-9]+)$', '\1'), '0'), '') AS id_a_number,
  nullif(ltrim(regexp_replace(regexp_replace(upper(b.fbi_number), '[^A-Z0-9]+', '', 'g'), '^A([0-9]+)$', '\1'), '0'), '') AS id_fbi_number,
  nullif(ltrim(regexp_replace(regexp_replace(upper(b.state_id), '[^A-Z0-9]+', '', 'g'), '^A([0-9]+)$', '\1'), '0'), '') AS id_state_id,
  nullif(ltrim(regexp_replace(regexp_replace(upper(b.ssn), '[^A-Z0-9]+', '', 'g'), '^A([0-9]+)$', '\1'), '0'), '') AS id_ssn,
  nullif(ltrim(regexp_replace(regexp_replace(upper(b.passport_number), '[^A-Z0-9]+', '', 'g'), '^A([0-9]+)$', '\1'), '0'), '') AS id_passport_number,
  sx.value AS sex,
  bc.value AS birth_country,
  cc.value AS citizenship_country,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.street_number, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_street_number,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.street, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_street,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.address_line2, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_line2,
  nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.city, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '') AS addr_city,
  coalesce(st.value, nullif(trim(regexp_replace(upper(strip_accents(regexp_replace(b.state, '[''`’ʼ]', '', 'g'))), '[^A-Z0-9]+', ' ', 'g')), '')) AS addr_state,
  nullif(ltrim(regexp_replace(regexp_replace(upper(b.postcode), '[^A-Z0-9]+', '', 'g'), '^A([0-9]+)$', '\1'), '0'), '') AS addr_postcode
FROM raw_r b
JOIN (SELECT
  rid,
  first AS name_first,
  given AS name_first_canon,
  surname AS name_last,
  last_key AS name_last_key,
  first_phonetic AS name_first_phonetic,
  last_phonetic AS name_last_phonetic,
  first || ' ' || surname AS name_full,
  CASE WHEN given IS NOT NULL AND len(parts) > 0 THEN given || '|' || parts[1] END AS name_key,
  middle AS name_middle,
  list_filter(all_forms, lambda x, i: list_position(all_forms, x) = i) AS name_forms,
  parts AS name_parts,
  list_filter(all_keys, lambda x, i: list_position(all_keys, x) = i) AS name_block_keys,
  list_filter(all_sounds, lambda x, i: list_position(all_sounds, x) = i) AS name_phonetic_keys,
  list_sort(list_distinct(CASE WHEN given IS NOT NULL THEN [substr(given, 1, 1)] ELSE CAST([] AS VARCHAR[]) END || list_transform(parts, lambda p: substr(p, 1, 1)))) AS name_initials,
  list_filter(romanised, lambda x, i: list_position(romanised, x) = i) AS name_romanised
FROM (SELECT *, CASE WHEN len(given_readings) > 0 AND len(surname_readings) > 0 AND len(given_readings) * len(surname_readings) <= 32 THEN flatten(list_transform(given_readings, lambda t: list_transform(surname_readings, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) ELSE CAST([] AS VARCHAR[]) END || CASE WHEN len(joined_readings) > 0 AND len(surname_readings) > 0 AND len(joined_readings) * len(surname_readings) <= 32 THEN flatten(list_transform(joined_readings, lambda t: list_transform(surname_readings, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) ELSE CAST([] AS VARCHAR[]) END AS romanised, CASE WHEN (given IS NOT NULL OR len(parts) > 0) THEN [CASE WHEN len(given_forms) = 0 OR list_contains(part_forms, given_forms[1]) THEN array_to_string(part_forms, ' ') ELSE array_to_string(list_sort(part_forms || given_forms), ' ') END] ELSE CAST([] AS VARCHAR[]) END || CASE WHEN (given IS NOT NULL OR len(parts) > 0) AND len(given_tokens) > 1 THEN [array_to_string(list_sort(list_distinct(token_forms || part_forms)), ' ')] ELSE CAST([] AS VARCHAR[]) END || alias_forms AS all_forms, flatten(list_transform(given_tokens, lambda t: list_transform(parts, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) || alias_keys || CASE WHEN len(given_readings) > 0 AND len(surname_readings) > 0 AND len(given_readings) * len(surname_readings) <= 32 THEN flatten(list_transform(given_readings, lambda t: list_transform(surname_readings, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) ELSE CAST([] AS VARCHAR[]) END || CASE WHEN len(joined_readings) > 0 AND len(surname_readings) > 0 AND len(joined_readings) * len(surname_readings) <= 32 THEN flatten(list_transform(joined_readings, lambda t: list_transform(surname_readings, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) ELSE CAST([] AS VARCHAR[]) END AS all_keys, flatten(list_transform(given_sounds, lambda t: list_transform(part_sounds, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) || alias_sounds AS all_sounds FROM (SELECT x.rid, x.first, x.middle, x.surname, g.given, g.first_phonetic, s.last_key, s.last_phonetic, coalesce(g.given_tokens, CAST([] AS VARCHAR[])) AS given_tokens, coalesce(g.given_sounds, CAST([] AS VARCHAR[])) AS given_sounds, coalesce(g.given_forms, CAST([] AS VARCHAR[])) AS given_forms, coalesce(g.token_forms, CAST([] AS VARCHAR[])) AS token_forms, coalesce(g.given_readings, CAST([] AS VARCHAR[])) AS given_readings, coalesce(s.surname_readings, CAST([] AS VARCHAR[])) AS surname_readings, coalesce(j.readings, CAST([] AS VARCHAR[])) AS joined_readings, coalesce(s.parts, CAST([] AS VARCHAR[])) AS parts, coalesce(s.part_sounds, CAST([] AS VARCHAR[])) AS part_sounds, coalesce(s.part_forms, CAST([] AS VARCHAR[])) AS part_forms, coalesce(a.forms, CAST([] AS VARCHAR[])) AS alias_forms, coalesce(a.block_keys, CAST([] AS VARCHAR[])) AS alias_keys, coalesce(a.phonetic_keys, CAST([] AS VARCHAR[])) AS alias_sounds FROM folded_r x LEFT JOIN given_map g ON g.first = x.first LEFT JOIN surname_map s ON s.surname = x.surname LEFT JOIN joined_given_map j ON j.joined = x.first || ' | ' || x.middle LEFT JOIN alias_map a ON a.raw = x.aliases))) n ON n.rid = b.rid
LEFT JOIN given_spelling_map gs ON gs.first = n.name_first
LEFT JOIN surname_spelling_map ss ON ss.surname = n.name_last
LEFT JOIN father_map fm ON fm.middle = n.name_middle
LEFT JOIN dob_map d ON d.raw = b.dob
LEFT JOIN code_map sx ON sx.kind = 'sex' AND sx.raw = b.sex
LEFT JOIN code_map bc ON bc.kind = 'country' AND bc.raw = b.birth_country
LEFT JOIN code_map cc ON cc.kind = 'country' AND cc.raw = b.citizenship_country
LEFT JOIN code_map st ON st.kind = 'state' AND st.raw = b.state

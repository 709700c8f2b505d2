SELECT
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
FROM (SELECT *, CASE WHEN len(given_readings) > 0 AND len(surname_readings) > 0 AND len(given_readings) * len(surname_readings) <= 32 THEN flatten(list_transform(given_readings, lambda t: list_transform(surname_readings, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) ELSE CAST([] AS VARCHAR[]) END AS romanised, CASE WHEN (given IS NOT NULL OR len(parts) > 0) THEN [CASE WHEN len(given_forms) = 0 OR list_contains(part_forms, given_forms[1]) THEN array_to_string(part_forms, ' ') ELSE array_to_string(list_sort(part_forms || given_forms), ' ') END] ELSE CAST([] AS VARCHAR[]) END || CASE WHEN (given IS NOT NULL OR len(parts) > 0) AND len(given_tokens) > 1 THEN [array_to_string(list_sort(list_distinct(token_forms || part_forms)), ' ')] ELSE CAST([] AS VARCHAR[]) END || alias_forms AS all_forms, flatten(list_transform(given_tokens, lambda t: list_transform(parts, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) || alias_keys || CASE WHEN len(given_readings) > 0 AND len(surname_readings) > 0 AND len(given_readings) * len(surname_readings) <= 32 THEN flatten(list_transform(given_readings, lambda t: list_transform(surname_readings, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) ELSE CAST([] AS VARCHAR[]) END AS all_keys, flatten(list_transform(given_sounds, lambda t: list_transform(part_sounds, lambda p: CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END))) || alias_sounds AS all_sounds FROM (SELECT x.rid, x.first, x.middle, x.surname, g.given, g.first_phonetic, s.last_key, s.last_phonetic, coalesce(g.given_tokens, CAST([] AS VARCHAR[])) AS given_tokens, coalesce(g.given_sounds, CAST([] AS VARCHAR[])) AS given_sounds, coalesce(g.given_forms, CAST([] AS VARCHAR[])) AS given_forms, coalesce(g.token_forms, CAST([] AS VARCHAR[])) AS token_forms, coalesce(g.given_readings, CAST([] AS VARCHAR[])) AS given_readings, coalesce(s.surname_readings, CAST([] AS VARCHAR[])) AS surname_readings, coalesce(s.parts, CAST([] AS VARCHAR[])) AS parts, coalesce(s.part_sounds, CAST([] AS VARCHAR[])) AS part_sounds, coalesce(s.part_forms, CAST([] AS VARCHAR[])) AS part_forms, coalesce(a.forms, CAST([] AS VARCHAR[])) AS alias_forms, coalesce(a.block_keys, CAST([] AS VARCHAR[])) AS alias_keys, coalesce(a.phonetic_keys, CAST([] AS VARCHAR[])) AS alias_sounds FROM folded_r x LEFT JOIN given_map g ON g.first = x.first LEFT JOIN surname_map s ON s.surname = x.surname LEFT JOIN alias_map a ON a.raw = x.aliases))

CREATE OR REPLACE TABLE folded_r AS
SELECT b.rid, f.folded AS first, m.folded AS middle,
  nullif(concat_ws(' ', l.folded, s.folded), '') AS surname, b.aliases
FROM raw_r b
LEFT JOIN fold_map f ON f.raw = b.first_name
LEFT JOIN fold_map m ON m.raw = b.middle_name
LEFT JOIN fold_map l ON l.raw = b.last_name
LEFT JOIN fold_map s ON s.raw = b.second_last_name

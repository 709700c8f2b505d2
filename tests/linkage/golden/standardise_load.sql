CREATE OR REPLACE TABLE raw_l AS
SELECT row_number() OVER (ORDER BY record_id) - 1 AS rid, *
FROM (SELECT
  trim(CAST(record_id AS VARCHAR)) AS record_id,
  NULLIF(trim(CAST(first_name AS VARCHAR)), '') AS first_name,
  CAST(NULL AS VARCHAR) AS middle_name,
  CAST(NULL AS VARCHAR) AS last_name,
  CAST(NULL AS VARCHAR) AS second_last_name,
  CAST(NULL AS VARCHAR) AS aliases,
  NULLIF(trim(CAST(dob AS VARCHAR)), '') AS dob,
  CAST(NULL AS VARCHAR) AS sex,
  CAST(NULL AS VARCHAR) AS birth_country,
  CAST(NULL AS VARCHAR) AS citizenship_country,
  CAST(NULL AS VARCHAR) AS a_number,
  CAST(NULL AS VARCHAR) AS fbi_number,
  CAST(NULL AS VARCHAR) AS state_id,
  NULLIF(trim(CAST(ssn AS VARCHAR)), '') AS ssn,
  CAST(NULL AS VARCHAR) AS passport_number,
  CAST(NULL AS VARCHAR) AS street_number,
  CAST(NULL AS VARCHAR) AS street,
  CAST(NULL AS VARCHAR) AS address_line2,
  CAST(NULL AS VARCHAR) AS city,
  CAST(NULL AS VARCHAR) AS state,
  CAST(NULL AS VARCHAR) AS postcode
FROM read_csv('left.csv'))

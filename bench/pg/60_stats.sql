-- stats.csv in rollmatch's shape (one row per scope / township / village).
WITH lv AS (
  SELECT (SELECT scope FROM cfg) AS region_code, 'scope' AS level, col FROM contrib
  UNION ALL SELECT township, 'township', col FROM contrib WHERE length(township) = 9
  UNION ALL SELECT village, 'village', col FROM contrib WHERE length(village) = 12
), regions AS (
  SELECT region_code, level FROM lv
  UNION SELECT scope, 'scope' FROM cfg
  UNION SELECT d.township, 'township' FROM d, cfg WHERE d.township LIKE cfg.scope || '%'
), counts AS (
  SELECT r.region_code, r.level,
         count(lv.col) FILTER (WHERE lv.col = 'eligible_hukou') AS eligible_hukou,
         count(lv.col) FILTER (WHERE lv.col = 'registered_hukou') AS registered_hukou,
         count(lv.col) FILTER (WHERE lv.col = 'eligible_migrant') AS eligible_migrant,
         count(lv.col) FILTER (WHERE lv.col = 'registered_migrant') AS registered_migrant,
         count(lv.col) FILTER (WHERE lv.col = 'roll_records') AS roll_records,
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_NOT_FOUND') AS "WRONG_NOT_FOUND",
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_DECEASED') AS "WRONG_DECEASED",
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_NO_RIGHTS') AS "WRONG_NO_RIGHTS",
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_UNDERAGE') AS "WRONG_UNDERAGE",
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_MOVED_OUT') AS "WRONG_MOVED_OUT",
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_DISTRICT') AS "WRONG_DISTRICT",
         count(lv.col) FILTER (WHERE lv.col = 'WRONG_DETAILS') AS "WRONG_DETAILS",
         count(lv.col) FILTER (WHERE lv.col = 'DUPLICATE') AS "DUPLICATE",
         count(lv.col) FILTER (WHERE lv.col = 'MISSING_ELIGIBLE') AS "MISSING_ELIGIBLE",
         count(lv.col) FILTER (WHERE lv.col = 'MISSING_MIGRANT') AS "MISSING_MIGRANT"
  FROM regions r LEFT JOIN lv ON lv.region_code = r.region_code AND lv.level = r.level
  GROUP BY r.region_code, r.level
)
SELECT region_code, level, eligible_hukou, registered_hukou,
       CASE WHEN eligible_hukou > 0 THEN to_char(registered_hukou::numeric / eligible_hukou, 'FM0.000000') END
         AS registration_rate,
       eligible_migrant, registered_migrant, roll_records, "WRONG_NOT_FOUND", "WRONG_DECEASED", "WRONG_NO_RIGHTS",
       "WRONG_UNDERAGE", "WRONG_MOVED_OUT", "WRONG_DISTRICT", "WRONG_DETAILS", "DUPLICATE", "MISSING_ELIGIBLE",
       "MISSING_MIGRANT"
FROM counts ORDER BY array_position(ARRAY['scope', 'township', 'village'], level), region_code

-- Normalized feeds. psql variables: scope, eday (election day), prev (previous election day or '').
CREATE UNLOGGED TABLE cfg AS
SELECT :'scope'::text AS scope, :'eday'::date AS eday, nullif(:'prev', '')::date AS prev;

-- Every distinct name (and former name) as typed, normalized once: basic
-- clean-up, then traditional -> simplified per character.
CREATE UNLOGGED TABLE name_map AS
WITH raw AS (
  SELECT name AS raw FROM raw_hukou UNION SELECT name FROM raw_migrant UNION SELECT name FROM raw_social
  UNION SELECT name FROM raw_roll UNION SELECT name FROM raw_rights
  UNION SELECT btrim(f) FROM raw_hukou, regexp_split_to_table(former_names, '[;；,，、]') AS f WHERE former_names <> ''
), basic AS (SELECT raw, rm_name_basic(raw) AS b FROM raw)
SELECT basic.raw,
       coalesce((SELECT string_agg(coalesce(ts.s, ch.c), '' ORDER BY ch.i)
                   FROM regexp_split_to_table(basic.b, '') WITH ORDINALITY AS ch(c, i)
                   LEFT JOIN ts_chars ts ON ts.t = ch.c), '') AS name
FROM basic;
ALTER TABLE name_map ADD PRIMARY KEY (raw);

CREATE UNLOGGED TABLE h AS
SELECT r.record_id AS rid, rm_norm_id(r.id_number) AS id, coalesce(nm.name, '') AS name,
       CASE WHEN r.former_names = '' THEN '{}'::text[] ELSE
         coalesce((SELECT array_agg(fm.name) FROM regexp_split_to_table(r.former_names, '[;；,，、]') AS f
                   JOIN name_map fm ON fm.raw = btrim(f) WHERE btrim(f) <> ''), '{}') END AS former,
       rm_gender(r.gender) AS gender, rm_date(r.birth_date) AS birth, rm_code(r.household_id) AS household,
       rm_code(r.region_code) AS region,
       CASE rm_word(r.status) WHEN '' THEN 'normal' WHEN 'normal' THEN 'normal' WHEN '正常' THEN 'normal'
         WHEN '在籍' THEN 'normal' WHEN '正常户口' THEN 'normal'
         WHEN 'deceased' THEN 'deceased' WHEN 'dead' THEN 'deceased' WHEN '死亡' THEN 'deceased'
         WHEN '已死亡' THEN 'deceased' WHEN '死亡注销' THEN 'deceased'
         WHEN 'moved_out' THEN 'moved_out' WHEN 'movedout' THEN 'moved_out' WHEN '迁出' THEN 'moved_out'
         WHEN '已迁出' THEN 'moved_out' WHEN '迁出注销' THEN 'moved_out'
         ELSE 'cancelled' END AS status,
       rm_date(r.status_date) AS status_date
FROM raw_hukou r LEFT JOIN name_map nm ON nm.raw = r.name;

CREATE UNLOGGED TABLE m AS
SELECT r.record_id AS rid, rm_norm_id(r.id_number) AS id, coalesce(nm.name, '') AS name, rm_gender(r.gender) AS gender,
       rm_date(r.birth_date) AS birth, rm_code(r.hukou_region_code) AS hukou_region,
       rm_code(r.residence_region_code) AS region, rm_date(r.expiry_date) AS expiry
FROM raw_migrant r LEFT JOIN name_map nm ON nm.raw = r.name;

CREATE UNLOGGED TABLE s AS
SELECT r.record_id AS rid, rm_norm_id(r.id_number) AS id, coalesce(nm.name, '') AS name, rm_gender(r.gender) AS gender,
       rm_date(r.birth_date) AS birth, rm_code(r.insured_region_code) AS region,
       CASE WHEN rm_word(r.status) IN ('', 'active', '参保缴费', '正常参保', '正常缴费', '参保', '正常') THEN 'active'
            ELSE 'inactive' END AS status
FROM raw_social r LEFT JOIN name_map nm ON nm.raw = r.name;

CREATE UNLOGGED TABLE ro AS
SELECT r.record_id AS rid, rm_norm_id(r.id_number) AS id, coalesce(nm.name, '') AS name, rm_gender(r.gender) AS gender,
       rm_date(r.birth_date) AS birth, rm_code(r.district_code) AS district, rm_code(r.region_code) AS region,
       rm_date(r.registered_date) AS registered
FROM raw_roll r LEFT JOIN name_map nm ON nm.raw = r.name;

CREATE UNLOGGED TABLE rt AS
SELECT r.record_id AS rid, rm_norm_id(r.id_number) AS id, coalesce(nm.name, '') AS name,
       CASE WHEN rm_word(r.kind) IN ('deprived', '依法被剥夺政治权利', '剥夺政治权利', '被剥夺政治权利') THEN 'deprived'
            WHEN rm_word(r.kind) IN ('suspended', '停止行使选举权利', '羁押期间停止行使选举权利', '被羁押期间停止行使选举权利') THEN 'suspended'
            ELSE 'incapacitated' END AS kind,
       rm_date(r.from_date) AS from_date, rm_date(r.to_date) AS to_date
FROM raw_rights r LEFT JOIN name_map nm ON nm.raw = r.name;

CREATE UNLOGGED TABLE d AS
SELECT rm_code(district_code) AS code, rm_code(township_code) AS township,
       CASE WHEN rm_word(kind) IN ('unit', '单位', '单位选区') THEN 'unit' ELSE 'area' END AS kind
FROM raw_districts;
CREATE UNLOGGED TABLE d_region AS
SELECT rm_code(district_code) AS code, btrim(x) AS region
FROM raw_districts, regexp_split_to_table(region_codes, '[;；,，]') AS x WHERE btrim(x) <> '';

CREATE INDEX ON h (id);
CREATE INDEX ON h (birth, name);
CREATE INDEX ON m (id);
CREATE INDEX ON s (id);
CREATE INDEX ON ro (id);
CREATE INDEX ON rt (id);
CREATE INDEX ON d (code);
CREATE INDEX ON d_region (region);
ANALYZE h; ANALYZE m; ANALYZE s; ANALYZE ro; ANALYZE rt; ANALYZE d; ANALYZE d_region;

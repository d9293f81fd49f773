-- The analyst's staging tables: every feed as text, exactly as the files
-- hold it (after the loader dropped unreadable rows). Unlogged: a
-- throw-away database, no WAL needed.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE UNLOGGED TABLE raw_hukou (record_id text, id_number text, name text, former_names text, gender text,
  birth_date text, ethnicity text, household_id text, region_code text, address text, status text, status_date text);
CREATE UNLOGGED TABLE raw_migrant (record_id text, id_number text, name text, gender text, birth_date text,
  hukou_region_code text, residence_region_code text, address text, registered_date text, expiry_date text);
CREATE UNLOGGED TABLE raw_social (record_id text, id_number text, name text, gender text, birth_date text,
  insured_region_code text, employer text, status text, last_paid text);
CREATE UNLOGGED TABLE raw_roll (record_id text, id_number text, name text, gender text, birth_date text,
  district_code text, region_code text, basis text, registered_date text);
CREATE UNLOGGED TABLE raw_rights (record_id text, id_number text, name text, kind text, from_date text, to_date text);
CREATE UNLOGGED TABLE raw_districts (district_code text, district_name text, township_code text, kind text,
  region_codes text);
-- OpenCC's traditional -> simplified characters (data/opencc/TSCharacters.txt, first value).
CREATE UNLOGGED TABLE ts_chars (t text PRIMARY KEY, s text);

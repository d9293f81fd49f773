-- Normalization as well as SQL can do it: trimming, every kind of space,
-- full-width digits and X through translate(), upper-case x, 15 -> 18
-- digits with the MOD 11-2 check character, three date forms, gender words,
-- middle-dot variants, traditional -> simplified by a character table.

-- ID text: separators out, full-width digits / X / x and '×' to ASCII, upper-case.
CREATE FUNCTION rm_clean_id(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT upper(translate(regexp_replace(coalesce(t, ''), '[[:space:]　  ​‌‍⁠﻿\-‐‑‒–—―−﹣－]', '', 'g'),
                         '０１２３４５６７８９Ｘｘ×', '0123456789XXX'))
$$;

-- ISO 7064 MOD 11-2 check character of 17 digits.
CREATE FUNCTION rm_check_char(d text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substr('10X98765432', ((
      substr(d, 1, 1)::int * 7 + substr(d, 2, 1)::int * 9 + substr(d, 3, 1)::int * 10 + substr(d, 4, 1)::int * 5 +
      substr(d, 5, 1)::int * 8 + substr(d, 6, 1)::int * 4 + substr(d, 7, 1)::int * 2 + substr(d, 8, 1)::int * 1 +
      substr(d, 9, 1)::int * 6 + substr(d, 10, 1)::int * 3 + substr(d, 11, 1)::int * 7 + substr(d, 12, 1)::int * 9 +
      substr(d, 13, 1)::int * 10 + substr(d, 14, 1)::int * 5 + substr(d, 15, 1)::int * 8 + substr(d, 16, 1)::int * 4 +
      substr(d, 17, 1)::int * 2) % 11) + 1, 1)
$$;

-- The normalized ID: cleaned; a 15-digit number converted to 18. (One SELECT expression without
-- FROM, so that PostgreSQL inlines it: a non-inlined SQL function costs microseconds per call.)
CREATE FUNCTION rm_norm_id(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN rm_clean_id(t) ~ '^[0-9]{15}$'
              THEN substr(rm_clean_id(t), 1, 6) || '19' || substr(rm_clean_id(t), 7, 9) ||
                   rm_check_char(substr(rm_clean_id(t), 1, 6) || '19' || substr(rm_clean_id(t), 7, 9))
              ELSE rm_clean_id(t) END
$$;

CREATE FUNCTION rm_id_wf(id text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT id ~ '^[0-9]{17}[0-9X]$'
$$;
CREATE FUNCTION rm_id_valid(id text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN id ~ '^[0-9]{17}[0-9X]$' THEN rm_check_char(id) = substr(id, 18, 1) ELSE false END
$$;

-- YYYYMMDD digits to a date, NULL when impossible (nested CASEs: SQL does not promise AND short-circuits).
CREATE FUNCTION rm_ymd(d text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN d ~ '^[0-9]{8}$' THEN
           CASE WHEN substr(d, 1, 4)::int >= 1 AND substr(d, 5, 2)::int BETWEEN 1 AND 12 THEN
             CASE WHEN substr(d, 7, 2)::int BETWEEN 1 AND
                       extract(day FROM make_date(substr(d, 1, 4)::int, substr(d, 5, 2)::int, 1)
                                        + interval '1 month - 1 day')::int
                  THEN make_date(substr(d, 1, 4)::int, substr(d, 5, 2)::int, substr(d, 7, 2)::int) END
           END
         END
$$;
-- A typed date: YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD.
CREATE FUNCTION rm_date(t text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT rm_ymd(translate(btrim(coalesce(t, ''), ' 　'), '-/', ''))
$$;
-- The birth date an 18-character ID encodes.
CREATE FUNCTION rm_id_birth(id text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN id ~ '^[0-9]{17}[0-9X]$' THEN rm_ymd(substr(id, 7, 8)) END
$$;
CREATE FUNCTION rm_id_gender(id text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN id ~ '^[0-9]{17}[0-9X]$' THEN CASE WHEN substr(id, 17, 1)::int % 2 = 1 THEN '男' ELSE '女' END END
$$;

CREATE FUNCTION rm_gender(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN upper(btrim(coalesce(t, ''), ' 　')) IN ('男', '男性', '1', 'M', 'MALE', 'Ｍ') THEN '男'
              WHEN upper(btrim(coalesce(t, ''), ' 　')) IN ('女', '女性', '2', 'F', 'FEMALE', 'Ｆ') THEN '女'
              ELSE '' END
$$;

-- A word of the contract (English or Chinese) to its English code.
CREATE FUNCTION rm_word(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(replace(replace(btrim(coalesce(t, ''), ' 　'), ' ', '_'), '-', '_'))
$$;

-- Codes: trimmed.
CREATE FUNCTION rm_code(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT btrim(coalesce(t, ''), ' 　')
$$;

-- Names, step 1: no spaces of any kind, dot variants to U+00B7, upper-case Latin.
CREATE FUNCTION rm_name_basic(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT upper(translate(regexp_replace(coalesce(t, ''), '[[:space:]　  ​‌‍⁠﻿]', '', 'g'),
                         '•・‧．.･∙⋅', '········'))
$$;

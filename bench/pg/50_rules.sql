-- rules.md in SQL, over the persons of 40_persons.sql.

CREATE FUNCTION rm_age18(b date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN extract(month FROM b) = 2 AND extract(day FROM b) = 29 THEN make_date(extract(year FROM b)::int + 18, 3, 1)
              ELSE (b + interval '18 years')::date END
$$;

-- The person's hukou record: the in-scope normal one, else the first.
CREATE UNLOGGED TABLE auth_h AS
SELECT DISTINCT ON (k.pk) k.pk, x.*, (x.status = 'normal' AND x.region LIKE c.scope || '%') AS in_scope
FROM rec k JOIN h x ON k.feed = 'hukou' AND x.rid = k.rid CROSS JOIN cfg c
ORDER BY k.pk, (x.status = 'normal' AND x.region LIKE c.scope || '%') DESC, x.rid;

ANALYZE auth_h;
CREATE INDEX ON auth_h (pk);

CREATE UNLOGGED TABLE p_h AS
SELECT k.pk, bool_or(x.status = 'deceased') AS deceased, bool_or(x.status = 'normal' AND x.region LIKE c.scope || '%') AS hukou_in,
       min(x.rid) AS first_rid
FROM rec k JOIN h x ON k.feed = 'hukou' AND x.rid = k.rid CROSS JOIN cfg c GROUP BY k.pk;

ANALYZE p_h;
CREATE UNLOGGED TABLE p_m AS
SELECT k.pk, min(x.rid) FILTER (WHERE x.region LIKE c.scope || '%' AND (x.expiry IS NULL OR x.expiry >= c.eday)) AS resides_rid
FROM rec k JOIN m x ON k.feed = 'migrant' AND x.rid = k.rid CROSS JOIN cfg c GROUP BY k.pk;

ANALYZE p_m;
CREATE UNLOGGED TABLE p_s AS
SELECT k.pk, min(x.rid) FILTER (WHERE x.status = 'active' AND x.region LIKE c.scope || '%') AS works_rid
FROM rec k JOIN s x ON k.feed = 'social' AND x.rid = k.rid CROSS JOIN cfg c GROUP BY k.pk;

ANALYZE p_s;
CREATE UNLOGGED TABLE p_rt AS
SELECT DISTINCT ON (k.pk) k.pk, x.kind
FROM rec k JOIN rt x ON k.feed = 'rights' AND x.rid = k.rid CROSS JOIN cfg c
WHERE (x.from_date IS NULL OR x.from_date <= c.eday) AND (x.to_date IS NULL OR x.to_date >= c.eday)
ORDER BY k.pk, x.rid;

ANALYZE p_rt;
CREATE UNLOGGED TABLE p_restored AS
SELECT DISTINCT k.pk FROM rec k JOIN rt x ON k.feed = 'rights' AND x.rid = k.rid CROSS JOIN cfg c WHERE x.to_date < c.eday;

ANALYZE p_restored;

-- Authoritative birth date: hukou, migrant, social (record-id order), the authoritative ID, the registration.
CREATE UNLOGGED TABLE p_birth AS
SELECT DISTINCT ON (pk) pk, birth FROM (
  SELECT k.pk, 1 AS prio, x.rid, x.birth FROM rec k JOIN h x ON k.feed = 'hukou' AND x.rid = k.rid
  UNION ALL SELECT k.pk, 2, x.rid, x.birth FROM rec k JOIN m x ON k.feed = 'migrant' AND x.rid = k.rid
  UNION ALL SELECT k.pk, 3, x.rid, x.birth FROM rec k JOIN s x ON k.feed = 'social' AND x.rid = k.rid
  UNION ALL SELECT k.pk, 4, '', rm_id_birth(k.pk) FROM (SELECT DISTINCT pk FROM rec) k WHERE rm_id_valid(k.pk)
  UNION ALL SELECT k.pk, 5, x.rid, x.birth FROM rec k JOIN ro x ON k.feed = 'roll' AND x.rid = k.rid
) v WHERE birth IS NOT NULL ORDER BY pk, prio, rid;

ANALYZE p_birth;

CREATE UNLOGGED TABLE person AS
SELECT a.pk, ph.pk IS NOT NULL AS has_h,
       (ph.pk IS NOT NULL OR pm.pk IS NOT NULL OR ps.pk IS NOT NULL) AS found,
       coalesce(ph.deceased, false) AS deceased, prt.kind AS rights_kind,
       coalesce(ph.hukou_in, false) AS hukou_in, pm.resides_rid, ps.works_rid,
       pb.birth, (pb.birth IS NULL OR rm_age18(pb.birth) <= c.eday) AS of_age,
       ph.first_rid AS first_hukou_rid, pr.pk IS NOT NULL AS restored
FROM (SELECT DISTINCT pk FROM rec) a
LEFT JOIN p_h ph ON ph.pk = a.pk LEFT JOIN p_m pm ON pm.pk = a.pk LEFT JOIN p_s ps ON ps.pk = a.pk
LEFT JOIN p_rt prt ON prt.pk = a.pk LEFT JOIN p_birth pb ON pb.pk = a.pk LEFT JOIN p_restored pr ON pr.pk = a.pk
CROSS JOIN cfg c;

ANALYZE person;
ALTER TABLE person ADD COLUMN eligible boolean;
UPDATE person SET eligible = of_age AND NOT deceased AND rights_kind IS NULL AND (hukou_in OR resides_rid IS NOT NULL);
ANALYZE person;
CREATE INDEX ON person (pk);

-- Acceptable districts.
CREATE UNLOGGED TABLE p_region AS
SELECT k.pk, x.region, 'area' AS kind FROM rec k JOIN h x ON k.feed = 'hukou' AND x.rid = k.rid CROSS JOIN cfg c
  WHERE x.status = 'normal' AND x.region LIKE c.scope || '%'
UNION SELECT k.pk, x.region, 'area' FROM rec k JOIN m x ON k.feed = 'migrant' AND x.rid = k.rid CROSS JOIN cfg c
  WHERE x.region LIKE c.scope || '%' AND (x.expiry IS NULL OR x.expiry >= c.eday)
UNION SELECT k.pk, x.region, 'unit' FROM rec k JOIN s x ON k.feed = 'social' AND x.rid = k.rid CROSS JOIN cfg c
  WHERE x.status = 'active' AND x.region LIKE c.scope || '%';

ANALYZE p_region;
CREATE UNLOGGED TABLE acc AS
SELECT pr.pk, dd.code FROM p_region pr JOIN d_region dr ON dr.region = pr.region JOIN d dd ON dd.code = dr.code AND dd.kind = pr.kind
UNION
SELECT pr.pk, dd.code FROM p_region pr JOIN d dd ON length(pr.region) = 9 AND dd.township = pr.region AND dd.kind = pr.kind;

ANALYZE acc;
CREATE INDEX ON acc (pk, code);

-- Registrations with their person, scope and eligibility flag.
CREATE UNLOGGED TABLE roll AS
SELECT r.*, k.pk, dd.code IS NOT NULL AS known_district, coalesce(dd.township, left(r.region, 9)) AS township,
       CASE WHEN dd.code IS NOT NULL THEN dd.township LIKE c.scope || '%' ELSE r.region LIKE c.scope || '%' END AS in_scope,
       EXISTS (SELECT 1 FROM acc a WHERE a.pk = k.pk AND a.code = r.district) AS acceptable
FROM ro r JOIN rec k ON k.feed = 'roll' AND k.rid = r.rid LEFT JOIN d dd ON dd.code = r.district CROSS JOIN cfg c;

ANALYZE roll;
ALTER TABLE roll ADD COLUMN wrong text;
UPDATE roll r SET wrong = CASE
    WHEN NOT p.found THEN 'WRONG_NOT_FOUND' WHEN p.deceased THEN 'WRONG_DECEASED'
    WHEN p.rights_kind IS NOT NULL THEN 'WRONG_NO_RIGHTS' WHEN NOT p.of_age THEN 'WRONG_UNDERAGE'
    WHEN NOT (p.hukou_in OR p.resides_rid IS NOT NULL) THEN 'WRONG_MOVED_OUT'
    WHEN NOT r.acceptable THEN 'WRONG_DISTRICT' END
FROM person p WHERE p.pk = r.pk AND r.in_scope;
ANALYZE roll;
CREATE INDEX ON roll (pk) WHERE in_scope;

-- Flags.
CREATE UNLOGGED TABLE flags (code text, feed text, rid text, records jsonb, keep text, evidence jsonb,
                             township text, village text);

INSERT INTO flags
SELECT r.wrong, 'roll', r.rid, jsonb_build_array(jsonb_build_object('feed', 'roll', 'record_id', r.rid)), NULL,
       CASE WHEN r.wrong = 'WRONG_NO_RIGHTS' THEN jsonb_build_object('kind', p.rights_kind) ELSE '{}'::jsonb END,
       r.township, r.region
FROM roll r JOIN person p ON p.pk = r.pk WHERE r.in_scope AND r.wrong IS NOT NULL;

-- WRONG_DETAILS: one row per differing field, then one flag per registration.
-- With a hukou record: ID (empty or different), name (not a former name; empty is no
-- difference), birth date and gender (empty is no difference).
-- Without one: a wrong check character (corrected to the first valid ID of the person's
-- migrant, social, rights and other roll records), a birth date or gender contradicting
-- the registration's own valid ID.
CREATE UNLOGGED TABLE p_valid_id AS
SELECT DISTINCT ON (pk) pk, id FROM (
  SELECT k.pk, 1 AS prio, y.rid, y.id FROM rec k JOIN m y ON k.feed = 'migrant' AND y.rid = k.rid
  UNION ALL SELECT k.pk, 2, y.rid, y.id FROM rec k JOIN s y ON k.feed = 'social' AND y.rid = k.rid
  UNION ALL SELECT k.pk, 3, y.rid, y.id FROM rec k JOIN rt y ON k.feed = 'rights' AND y.rid = k.rid
  UNION ALL SELECT y.pk, 4, y.rid, y.id FROM roll y
) x
WHERE rm_id_valid(x.id) AND x.pk IN (SELECT pk FROM person WHERE NOT has_h)
ORDER BY pk, prio, rid;

ANALYZE p_valid_id;

CREATE UNLOGGED TABLE details AS
SELECT r.rid, 1 AS ord, 'id_number' AS field, r.id AS registered, a.id AS authoritative
  FROM roll r JOIN auth_h a ON a.pk = r.pk WHERE r.in_scope AND r.id <> a.id
UNION ALL SELECT r.rid, 2, 'name', r.name, a.name
  FROM roll r JOIN auth_h a ON a.pk = r.pk
  WHERE r.in_scope AND r.name <> '' AND a.name <> '' AND r.name <> a.name AND NOT (r.name = ANY (a.former))
UNION ALL SELECT r.rid, 3, 'birth_date', to_char(r.birth, 'YYYY-MM-DD'), to_char(a.birth, 'YYYY-MM-DD')
  FROM roll r JOIN auth_h a ON a.pk = r.pk WHERE r.in_scope AND r.birth <> a.birth
UNION ALL SELECT r.rid, 4, 'gender', r.gender, a.gender
  FROM roll r JOIN auth_h a ON a.pk = r.pk WHERE r.in_scope AND r.gender <> '' AND a.gender <> '' AND r.gender <> a.gender
UNION ALL SELECT r.rid, 1, 'id_number', r.id, coalesce(v.id, '')
  FROM roll r JOIN person p ON p.pk = r.pk AND NOT p.has_h LEFT JOIN p_valid_id v ON v.pk = r.pk
  WHERE r.in_scope AND rm_id_wf(r.id) AND NOT rm_id_valid(r.id)
UNION ALL SELECT r.rid, 3, 'birth_date', to_char(r.birth, 'YYYY-MM-DD'), to_char(rm_id_birth(r.id), 'YYYY-MM-DD')
  FROM roll r JOIN person p ON p.pk = r.pk AND NOT p.has_h
  WHERE r.in_scope AND rm_id_valid(r.id) AND r.birth <> rm_id_birth(r.id)
UNION ALL SELECT r.rid, 4, 'gender', r.gender, rm_id_gender(r.id)
  FROM roll r JOIN person p ON p.pk = r.pk AND NOT p.has_h
  WHERE r.in_scope AND rm_id_valid(r.id) AND r.gender <> '' AND r.gender <> rm_id_gender(r.id);

ANALYZE details;

INSERT INTO flags
SELECT 'WRONG_DETAILS', 'roll', r.rid, jsonb_build_array(jsonb_build_object('feed', 'roll', 'record_id', r.rid)), NULL,
       jsonb_build_object('fields', jsonb_agg(jsonb_build_object('field', x.field, 'registered', x.registered,
                                                                 'authoritative', x.authoritative) ORDER BY x.ord)),
       r.township, r.region
FROM details x JOIN roll r ON r.rid = x.rid
GROUP BY r.rid, r.township, r.region;

-- DUPLICATE: a person's in-scope registrations; keep = no eligibility flag, acceptable district,
-- earliest registered_date (empty last), smallest record_id.
INSERT INTO flags
SELECT 'DUPLICATE', 'roll', g.keep, g.records, g.keep, '{}'::jsonb, k.township, k.region
FROM (
  SELECT r.pk, count(*) AS n,
         (array_agg(r.rid ORDER BY (r.wrong IS NOT NULL), (NOT r.acceptable), r.registered NULLS LAST, r.rid))[1] AS keep,
         jsonb_agg(jsonb_build_object('feed', 'roll', 'record_id', r.rid) ORDER BY r.rid) AS records
  FROM roll r WHERE r.in_scope GROUP BY r.pk HAVING count(*) >= 2
) g JOIN roll k ON k.rid = g.keep;

-- Missing registrations.
CREATE UNLOGGED TABLE registered AS SELECT DISTINCT pk FROM roll WHERE in_scope;

ANALYZE registered;
ALTER TABLE registered ADD PRIMARY KEY (pk);

INSERT INTO flags
SELECT 'MISSING_ELIGIBLE', 'hukou', p.first_hukou_rid, jsonb_build_array(jsonb_build_object('feed', 'hukou', 'record_id', p.first_hukou_rid)),
       NULL,
       jsonb_build_object('reason', CASE WHEN p.restored THEN 'rights_restored'
                                         WHEN c.prev IS NOT NULL AND rm_age18(p.birth) > c.prev THEN 'new_adult'
                                         WHEN c.prev IS NOT NULL AND a.status_date > c.prev THEN 'moved_in'
                                         ELSE 'other' END),
       left(hs.region, 9), hs.region
FROM person p JOIN auth_h a ON a.pk = p.pk JOIN h hs ON hs.rid = p.first_hukou_rid CROSS JOIN cfg c
WHERE p.eligible AND p.hukou_in AND NOT EXISTS (SELECT 1 FROM registered g WHERE g.pk = p.pk);

INSERT INTO flags
SELECT 'MISSING_MIGRANT', CASE WHEN p.resides_rid IS NOT NULL THEN 'migrant' ELSE 'social' END,
       coalesce(p.resides_rid, p.works_rid),
       jsonb_build_array(jsonb_build_object('feed', CASE WHEN p.resides_rid IS NOT NULL THEN 'migrant' ELSE 'social' END,
                                            'record_id', coalesce(p.resides_rid, p.works_rid))),
       NULL, '{}'::jsonb, left(coalesce(mm.region, ss.region), 9), coalesce(mm.region, ss.region)
FROM person p LEFT JOIN m mm ON mm.rid = p.resides_rid LEFT JOIN s ss ON ss.rid = p.works_rid
WHERE p.of_age AND NOT p.deceased AND p.rights_kind IS NULL AND NOT p.hukou_in
  AND (p.resides_rid IS NOT NULL OR p.works_rid IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM registered g WHERE g.pk = p.pk);

-- Registration-rate statistics: contributions per (township, village, column), then the pivot.
CREATE UNLOGGED TABLE contrib AS
SELECT left(a.region, 9) AS township, a.region AS village, 'eligible_hukou' AS col
  FROM person p JOIN auth_h a ON a.pk = p.pk WHERE p.eligible AND p.hukou_in
UNION ALL SELECT left(a.region, 9), a.region, 'registered_hukou'
  FROM person p JOIN auth_h a ON a.pk = p.pk JOIN registered g ON g.pk = p.pk WHERE p.eligible AND p.hukou_in
UNION ALL SELECT left(mm.region, 9), mm.region, 'eligible_migrant'
  FROM person p JOIN m mm ON mm.rid = p.resides_rid WHERE p.eligible AND NOT p.hukou_in
UNION ALL SELECT left(mm.region, 9), mm.region, 'registered_migrant'
  FROM person p JOIN m mm ON mm.rid = p.resides_rid JOIN registered g ON g.pk = p.pk WHERE p.eligible AND NOT p.hukou_in
UNION ALL SELECT township, region, 'roll_records' FROM roll WHERE in_scope
UNION ALL SELECT township, village, code FROM flags;

ANALYZE contrib;

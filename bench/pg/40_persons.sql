-- Persons the way an analyst joins them:
--  1. the exact normalized ID (a registration's ID must be one that a hukou,
--     migrant or social record carries; a source record's must be valid);
--  2. else the one valid ID that source records of the same name and birth
--     date carry;
--  3. else fuzzystrmatch: levenshtein_less_equal() against the source records
--     of the same birth-date block (the typed birth date or the ID's): name at
--     most 1 character off and, when the record has an ID, ID at most 2 off;
--  4. registrations still unmatched: the same comparison against the other
--     registrations of their block (fuzzy duplicates).

-- Source records with a valid ID (a hukou record once more under each former name).
CREATE UNLOGGED TABLE src AS
SELECT id, name, coalesce(birth, rm_id_birth(id)) AS birth, rid, 1 AS prio FROM h WHERE rm_id_valid(id)
UNION ALL SELECT id, f, coalesce(birth, rm_id_birth(id)), rid, 1 FROM h, unnest(former) AS f WHERE rm_id_valid(id)
UNION ALL SELECT id, name, coalesce(birth, rm_id_birth(id)), rid, 2 FROM m WHERE rm_id_valid(id)
UNION ALL SELECT id, name, coalesce(birth, rm_id_birth(id)), rid, 3 FROM s WHERE rm_id_valid(id);

ANALYZE src;
CREATE INDEX ON src (birth);

CREATE UNLOGGED TABLE known_id AS SELECT DISTINCT id FROM src;

ANALYZE known_id;
ALTER TABLE known_id ADD PRIMARY KEY (id);

-- (name, birth date) pairs that exactly one valid ID has.
CREATE UNLOGGED TABLE src_nb AS
SELECT name, birth, min(id) AS id FROM src WHERE birth IS NOT NULL AND name <> ''
GROUP BY name, birth HAVING count(DISTINCT id) = 1;

ANALYZE src_nb;
ALTER TABLE src_nb ADD PRIMARY KEY (name, birth);

-- Every person record that needs a key.
CREATE UNLOGGED TABLE anyrec AS
SELECT 'hukou' AS feed, rid, id, name, birth FROM h
UNION ALL SELECT 'migrant', rid, id, name, birth FROM m
UNION ALL SELECT 'social', rid, id, name, birth FROM s
UNION ALL SELECT 'roll', rid, id, name, birth FROM ro
UNION ALL SELECT 'rights', rid, id, name, NULL FROM rt;

ANALYZE anyrec;

-- Steps 1 and 2.
CREATE UNLOGGED TABLE key1 AS
SELECT a.feed, a.rid, a.id, a.name, a.birth, rm_id_birth(a.id) AS id_birth,
       CASE WHEN a.feed = 'hukou' AND rm_id_wf(a.id) THEN a.id
            WHEN a.feed IN ('migrant', 'social') AND rm_id_valid(a.id) THEN a.id
            WHEN a.feed IN ('roll', 'rights') AND k.id IS NOT NULL THEN a.id
            ELSE nb.id END AS pk
FROM anyrec a
LEFT JOIN known_id k ON k.id = a.id
LEFT JOIN src_nb nb ON nb.name = a.name AND nb.birth = coalesce(a.birth, rm_id_birth(a.id));

ANALYZE key1;

-- Step 3, blocked by birth date.
CREATE UNLOGGED TABLE key_fuzzy AS
SELECT DISTINCT ON (u.feed, u.rid) u.feed, u.rid, x.id AS pk
FROM key1 u JOIN src x ON x.birth IN (u.birth, u.id_birth)
WHERE u.pk IS NULL AND u.feed <> 'hukou'
  AND levenshtein_less_equal(u.name, x.name, 1) <= 1
  AND (u.id = '' OR levenshtein_less_equal(u.id, x.id, 2) <= 2)
ORDER BY u.feed, u.rid, levenshtein_less_equal(u.name, x.name, 1) + levenshtein_less_equal(u.id, x.id, 2), x.prio, x.rid;

ANALYZE key_fuzzy;

CREATE UNLOGGED TABLE key2 AS
SELECT k.feed, k.rid, k.id, k.name, coalesce(k.birth, k.id_birth) AS bkey, coalesce(k.pk, f.pk) AS matched_pk,
       coalesce(k.pk, f.pk, CASE WHEN rm_id_wf(k.id) THEN k.id END, k.feed || ':' || k.rid) AS pk
FROM key1 k LEFT JOIN key_fuzzy f ON f.feed = k.feed AND f.rid = k.rid;

ANALYZE key2;

-- Step 4: an unmatched registration takes the key of a similar registration of
-- its block (a matched one's first, else the smallest key of the group).
CREATE UNLOGGED TABLE roll_dup AS
SELECT u.rid, coalesce(min(p.matched_pk), least(min(u.pk), min(p.pk))) AS pk
FROM key2 u
JOIN key2 p ON p.feed = 'roll' AND p.bkey = u.bkey AND p.rid <> u.rid
WHERE u.feed = 'roll' AND u.matched_pk IS NULL AND u.bkey IS NOT NULL
  AND levenshtein_less_equal(u.name, p.name, 1) <= 1
  AND levenshtein_less_equal(u.id, p.id, 2) <= 2
GROUP BY u.rid;

ANALYZE roll_dup;

-- The person key of every record.
CREATE UNLOGGED TABLE rec AS
SELECT k.feed, k.rid, coalesce(d.pk, k.pk) AS pk
FROM key2 k LEFT JOIN roll_dup d ON k.feed = 'roll' AND d.rid = k.rid;

ANALYZE rec;
CREATE INDEX ON rec (feed, rid);
CREATE INDEX ON rec (pk);
ANALYZE rec;

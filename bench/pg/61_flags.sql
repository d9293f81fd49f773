-- flags.jsonl in rollmatch's shape: code, subject {feed, record_id}, records, keep, evidence, township.
SELECT json_build_object('code', code, 'subject', json_build_object('feed', feed, 'record_id', rid),
                         'records', records,
                         'keep', CASE WHEN keep IS NOT NULL THEN json_build_object('feed', 'roll', 'record_id', keep) END,
                         'evidence', evidence, 'township', township)::text
FROM flags ORDER BY code, rid

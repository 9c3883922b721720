-- Pain-point maps: a posting's challenges paired with the resume lines that answer them,
-- for one resume version. Generating again after the posting or the resume changed adds
-- a new version; earlier versions stay. `input_hash` names the inputs a map was made from.
CREATE TABLE pain_point_maps (
    id                 TEXT NOT NULL PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    posting_id         TEXT NOT NULL REFERENCES job_postings (id) ON DELETE CASCADE,
    resume_version_id  TEXT NOT NULL REFERENCES resume_versions (id) ON DELETE CASCADE,
    version_no         INTEGER NOT NULL,
    input_hash         TEXT NOT NULL,
    pairs              TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    UNIQUE (posting_id, version_no)
) STRICT;
CREATE INDEX pain_point_maps_by_user ON pain_point_maps (user_id, posting_id);

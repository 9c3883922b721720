-- Pain-point maps: a posting's challenges paired with the resume lines that answer them,
-- for one resume version. Generating again after the posting or the resume changed adds
-- a new version; earlier versions stay. `input_hash` names the inputs a map was made from.
CREATE TABLE pain_point_maps (
    id                 UUID NOT NULL PRIMARY KEY,
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    posting_id         UUID NOT NULL REFERENCES job_postings (id) ON DELETE CASCADE,
    resume_version_id  UUID NOT NULL REFERENCES resume_versions (id) ON DELETE CASCADE,
    version_no         BIGINT NOT NULL,
    input_hash         TEXT NOT NULL,
    pairs              JSONB NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (posting_id, version_no)
);
CREATE INDEX pain_point_maps_by_user ON pain_point_maps (user_id, posting_id);

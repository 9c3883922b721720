-- Similarity search (seed 004): a posting's or a resume version's text cut into pieces of
-- about 3,500 characters, each with its vector. `representation` names what made the
-- vectors (the built-in sparse vectors, a local model, a remote server's model): vectors
-- are only compared with vectors of the same name, so changing models never mixes them.
-- `content_hash` is the digest of the text the chunks were cut from; a changed text gets
-- new chunks. Exactly one of posting_id and resume_version_id is set.
CREATE TABLE embedding_chunks (
    id                 TEXT NOT NULL PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    posting_id         TEXT REFERENCES job_postings (id) ON DELETE CASCADE,
    resume_version_id  TEXT REFERENCES resume_versions (id) ON DELETE CASCADE,
    representation     TEXT NOT NULL,
    content_hash       TEXT NOT NULL,
    chunk_index        INTEGER NOT NULL,
    start_byte         INTEGER NOT NULL,
    end_byte           INTEGER NOT NULL,
    lang               TEXT,
    text               TEXT NOT NULL,
    vector             BLOB NOT NULL,
    created_at         TEXT NOT NULL,
    CHECK ((posting_id IS NULL) <> (resume_version_id IS NULL)),
    UNIQUE (posting_id, representation, chunk_index),
    UNIQUE (resume_version_id, representation, chunk_index)
) STRICT;
-- A user's chunks of one representation: what a search over all their documents reads.
CREATE INDEX embedding_chunks_by_user ON embedding_chunks (user_id, representation);

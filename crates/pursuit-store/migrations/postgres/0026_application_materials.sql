-- What went out with an application: the resume version, and the CV and cover letter
-- Pursuit wrote for it (each kept while it exists). Recorded when a document made for the
-- application's posting is exported, or set by the user; it is how outcomes are traced
-- back to the resume version that earned them.
CREATE TABLE application_materials (
    application_id      UUID NOT NULL PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    user_id             UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    resume_version_id   UUID REFERENCES resume_versions (id) ON DELETE SET NULL,
    cv_document_id      UUID REFERENCES documents (id) ON DELETE SET NULL,
    letter_document_id  UUID REFERENCES documents (id) ON DELETE SET NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
-- Applications by the resume version they went out with (attribution).
CREATE INDEX application_materials_by_version ON application_materials (user_id, resume_version_id);

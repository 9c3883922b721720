-- Activities of an application (seed 002 §3.2): interviews, follow-ups, calls, emails, notes.
-- Interview and follow-up fields are columns of their own, empty for other types.
CREATE TABLE activities (
    id                UUID        NOT NULL PRIMARY KEY,
    user_id           UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id    UUID        NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    type              TEXT    NOT NULL CHECK (type IN ('Interview', 'FollowUp', 'Call', 'Email', 'Note', 'Other')),
    status            TEXT    NOT NULL CHECK (status IN ('scheduled', 'done', 'canceled')),
    starts_at         TIMESTAMPTZ,
    duration_minutes  BIGINT CHECK (duration_minutes BETWEEN 1 AND 1440),
    timezone          TEXT,
    outcome           TEXT,
    next_action       TEXT,
    next_action_due   TIMESTAMPTZ,
    notes             TEXT,
    related_contacts  JSONB,
    interview_stage   TEXT CHECK (interview_stage IN ('screening', 'technical', 'loop', 'offer', 'other')),
    interview_medium  TEXT CHECK (interview_medium IN ('onsite', 'zoom', 'phone', 'google_meet', 'teams', 'other')),
    location_or_link  TEXT,
    agenda            TEXT,
    prep_checklist    JSONB,
    followup_channel  TEXT CHECK (followup_channel IN ('email', 'linkedin', 'phone', 'other')),
    template_used     TEXT,
    reply_deadline    TIMESTAMPTZ,
    version           BIGINT      NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    -- A scheduled activity has a time (seed 002 §6.4).
    CHECK (status <> 'scheduled' OR starts_at IS NOT NULL)
);
CREATE INDEX activities_by_application ON activities (application_id, starts_at);
CREATE INDEX activities_by_user_start ON activities (user_id, starts_at);
CREATE INDEX activities_by_user_due ON activities (user_id, next_action_due);

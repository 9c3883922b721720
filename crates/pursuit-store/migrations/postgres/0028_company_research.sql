-- What a user knows about a company (seed 000 §6, and the outreach issue's company fields):
-- its website, industry, size band, headquarters and that place's IANA time zone, as the
-- user gave them, and the research Pursuit did on it (`research`: a summary, facts each
-- with the source that says it, the sources read with their text, who wrote it), refreshed
-- at `last_refreshed_at`.
ALTER TABLE companies ADD COLUMN website TEXT;
ALTER TABLE companies ADD COLUMN industry TEXT;
ALTER TABLE companies ADD COLUMN size TEXT;
ALTER TABLE companies ADD COLUMN headquarters TEXT;
ALTER TABLE companies ADD COLUMN time_zone TEXT;
ALTER TABLE companies ADD COLUMN research JSONB NOT NULL DEFAULT '{}';
ALTER TABLE companies ADD COLUMN last_refreshed_at TIMESTAMPTZ;

-- An application's work mode may be not stated (issue 20: a default of "remote" marked
-- offices in Dublin as remote).
ALTER TABLE applications ALTER COLUMN location_mode DROP NOT NULL;

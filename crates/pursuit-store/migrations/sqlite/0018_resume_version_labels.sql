-- A resume version may carry a name its owner gives it ("Data roles", "Short one").
ALTER TABLE resume_versions ADD COLUMN label TEXT;

-- What a finished task made, for whoever follows it (`GET /api/v1/tasks/{id}`): e.g. the
-- document a background rewrite kept, as `{"document_id": …, "href": …}`. Null for tasks
-- that make nothing to link to.
ALTER TABLE jobs ADD COLUMN result TEXT;

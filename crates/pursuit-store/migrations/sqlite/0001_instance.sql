-- The installation itself: one row, written by the first migration run.
-- `instance_id` names this installation in logs and metrics; `created_by_version` tells an
-- operator which Pursuit release created the data.
CREATE TABLE pursuit_instance (
    singleton          INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    instance_id        TEXT    NOT NULL,
    created_by_version TEXT    NOT NULL,
    created_at         TEXT    NOT NULL
) STRICT;

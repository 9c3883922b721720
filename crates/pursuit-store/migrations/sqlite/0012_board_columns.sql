-- The board's columns a user chose to hide (issue 7): a JSON list of statuses. Cards in a
-- hidden column stay reachable (filters, the sidebar); only the column is not drawn.
ALTER TABLE user_settings ADD COLUMN hidden_columns TEXT NOT NULL DEFAULT '[]';

-- The board's columns: each status's most recently updated applications, newest first.
CREATE INDEX applications_board ON applications (user_id, status, updated_at, id);

-- (user_id, status) is the leading part of applications_board (user_id, status,
-- board_position, id), which serves every look-up it served. Each index is one more page
-- written by every new application and every status change.
DROP INDEX applications_by_user_status;

-- The list's own index also holds what its filters on every row read (archived or not,
-- the tags): SQLite tests them on the index entry and reads the row only of an
-- application that passes (a page of 50 of one tag in three read 150 rows to keep 50).
DROP INDEX applications_by_user_created;
CREATE INDEX applications_by_user_created ON applications (user_id, created_at, id, archived_at, tag_list);

-- (user_id, status) is the leading part of applications_board (user_id, status,
-- board_position, id), which serves every look-up it served. Each index is one more page
-- written by every new application and every status change.
DROP INDEX applications_by_user_status;

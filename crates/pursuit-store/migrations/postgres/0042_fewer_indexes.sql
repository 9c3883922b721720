-- (user_id, status) is the leading part of applications_board (user_id, status,
-- board_position, id), which serves every look-up it served. Each index is one more page
-- written by every new application and every status change.
DROP INDEX applications_by_user_status;

-- SQLite's `instr` (the position of a text in another, 0 when absent, case-sensitive):
-- the queries say it one way on both databases. PostgreSQL inlines a one-line SQL function.
CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT strpos(haystack, needle)';

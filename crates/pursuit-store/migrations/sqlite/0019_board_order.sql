-- Order within a board column (issue 20): a card goes on top of the column it enters (its
-- position is the time it entered, in microseconds) and stays where its owner puts it; edits
-- that do not change its status leave it in place. Higher is nearer the top. Existing
-- cards keep the order they had (most recently updated first), numbered per column.
ALTER TABLE applications ADD COLUMN board_position INTEGER NOT NULL DEFAULT 0;
UPDATE applications
   SET board_position = ranked.n * 1000
  FROM (SELECT id, row_number() OVER (PARTITION BY user_id, status ORDER BY updated_at, id) AS n
          FROM applications) AS ranked
 WHERE applications.id = ranked.id;

-- The board's columns in their order, top first.
DROP INDEX applications_board;
CREATE INDEX applications_board ON applications (user_id, status, board_position, id);

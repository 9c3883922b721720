-- An application's work mode may be not stated (issue 20: a default of "remote" marked
-- offices in Dublin as remote). Dropping a NOT NULL constraint leaves every stored row as
-- it is, so SQLite's documented way for such changes is used instead of a table rebuild
-- (which would fire the ON DELETE CASCADE of every table pointing at applications): the
-- table's definition is edited in place, and the runner then bumps `schema_version` so
-- every connection reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, 'location_mode       TEXT    NOT NULL CHECK', 'location_mode       TEXT    CHECK')
 WHERE type = 'table' AND name = 'applications';
PRAGMA writable_schema = OFF;

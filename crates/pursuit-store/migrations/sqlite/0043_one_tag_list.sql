-- An application's tags are kept once, in its row's tag_list (migration 20): the tag
-- filter, the text search and the tag counts all read it. application_tags said the same
-- again, and cost every new application and every tag change a second write (on SQLite
-- about eight of a new application's ~28 pages: the table, its key and the (user, tag)
-- index, where four tags land in four places).
DROP TABLE application_tags;

-- An application's tags also in one column of its row (issue 18): each tag between two
-- U+001F separators (tags hold no control characters), '' for none. A page of
-- applications reads and filters tags from the rows it walks, instead of one look-up in
-- application_tags per row for the filter and another for the tags. application_tags
-- stays the source of the tag counts; both are written by the same store functions.
ALTER TABLE applications ADD COLUMN tag_list TEXT NOT NULL DEFAULT '';
UPDATE applications
   SET tag_list = coalesce(
       (SELECT char(31) || string_agg(t.tag, char(31)) || char(31)
          FROM (SELECT tag FROM application_tags
                 WHERE application_id = applications.id ORDER BY tag) AS t),
       '');

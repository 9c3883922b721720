-- An application's tags also in one column of its row (issue 18): each tag between two
-- U+001F separators (tags hold no control characters), '' for none. A page of
-- applications reads and filters tags from the rows it walks, instead of one look-up in
-- application_tags per row for the filter and another for the tags. application_tags
-- stays the source of the tag counts; both are written by the same store functions.
ALTER TABLE applications ADD COLUMN tag_list TEXT NOT NULL DEFAULT '';
UPDATE applications a
   SET tag_list = coalesce(
       (SELECT chr(31) || string_agg(t.tag, chr(31) ORDER BY t.tag COLLATE "C") || chr(31)
          FROM application_tags t
         WHERE t.application_id = a.id),
       '');

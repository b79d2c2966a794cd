-- The input's columns, in order, as the caller named them (a file's header, or a JSON job's fields and attribute
-- keys): the results export repeats them, so the exported file stands alone.
alter table job add column columns text;

-- A unit's subtree is read by a range on its path (path >= '01/00004' AND
-- path < '01/000040'), which holds only when paths compare byte by byte, as
-- in the C collation: a database created with a language's collation (the
-- default of many servers) may order '/' apart from the digits and miss a
-- unit's children. The path compares bytewise whatever the database's
-- default; its index is rebuilt with the column.
ALTER TABLE units ALTER COLUMN path TYPE TEXT COLLATE "C";

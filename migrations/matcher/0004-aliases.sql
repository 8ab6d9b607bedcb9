-- Each record's aliases (claircore's Self and Aliases): its own identifier
-- and the other identifiers of the same flaw, as JSON {space, name} values.
-- They are read with the record and never searched, so they live on its row.
ALTER TABLE vuln ADD COLUMN self_alias jsonb, ADD COLUMN aliases jsonb;

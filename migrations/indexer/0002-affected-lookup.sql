-- Affected-manifest lookups start from package names: the packages of that
-- name, and the packages built from a source package of that name, then
-- their index records. These make both steps index scans.
CREATE INDEX package_scanartifact_package_idx ON package_scanartifact (package_id);
CREATE INDEX package_scanartifact_source_idx ON package_scanartifact (source_id) WHERE source_id IS NOT NULL;

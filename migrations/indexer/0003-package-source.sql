-- Which source package each package was built from. A package's source is the
-- same in every layer it is found in, so this is one small row per package,
-- not one per layer: the notifier's "packages built from source X" becomes
-- an index lookup instead of a read of every layer's scan artifacts.
CREATE TABLE package_source (
  package_id bigint NOT NULL REFERENCES package (id) ON DELETE CASCADE,
  source_id  bigint NOT NULL REFERENCES package (id) ON DELETE CASCADE,
  PRIMARY KEY (package_id, source_id)
);
CREATE INDEX package_source_source_idx ON package_source (source_id);

INSERT INTO package_source (package_id, source_id)
SELECT DISTINCT package_id, source_id FROM package_scanartifact WHERE source_id IS NOT NULL;

-- Only the affected-manifests lookup read artifacts by source; it reads
-- package_source now.
DROP INDEX package_scanartifact_source_idx;

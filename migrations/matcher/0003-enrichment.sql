-- Enrichments (clair.cvss, clair.epss, clair.kev) are stored in the
-- enrichment and uo_enrich tables 0001 created. Lookups by tag use the GIN
-- index on enrichment.tags (enrichment_tags_idx, from 0001) and the newest
-- operation of one enricher through update_operation_updater_idx.
--
-- Added here, as claircore's migration 15 does: an index on the updater
-- column, for per-enricher maintenance, and statistics on the new tables
-- so the first lookups after an upgrade plan well.
CREATE INDEX IF NOT EXISTS enrichment_updater_idx ON enrichment (updater);
CREATE INDEX IF NOT EXISTS update_operation_kind_updater_idx ON update_operation (kind, updater, id DESC);
ANALYZE enrichment;
ANALYZE uo_enrich;

-- Matcher schema: update operations, the vulnerabilities each one holds, and
-- enrichments. A vulnerability is stored once (content hash) and linked to
-- every update operation that contains it.

-- [lower, upper) over normalised versions: ten integers, compared in order.
CREATE TYPE VersionRange AS RANGE (SUBTYPE = integer[]);

CREATE TABLE update_operation (
  id          bigserial   PRIMARY KEY,
  ref         uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  updater     text        NOT NULL,
  fingerprint text        NOT NULL DEFAULT '',
  date        timestamptz NOT NULL DEFAULT now(),
  kind        text        NOT NULL DEFAULT 'vulnerability' CHECK (kind IN ('vulnerability', 'enrichment'))
);
CREATE INDEX update_operation_updater_idx ON update_operation (updater, id DESC);

CREATE TABLE vuln (
  id                     bigserial PRIMARY KEY,
  hash_kind              text  NOT NULL,
  hash                   bytea NOT NULL,
  updater                text  NOT NULL,
  name                   text  NOT NULL,
  description            text  NOT NULL DEFAULT '',
  issued                 timestamptz,
  links                  text  NOT NULL DEFAULT '',
  severity               text  NOT NULL DEFAULT '',
  normalized_severity    text  NOT NULL DEFAULT 'Unknown',
  package_name           text  NOT NULL DEFAULT '',
  package_version        text  NOT NULL DEFAULT '',
  package_module         text  NOT NULL DEFAULT '',
  package_arch           text  NOT NULL DEFAULT '',
  package_kind           text  NOT NULL DEFAULT '',
  dist_id                text  NOT NULL DEFAULT '',
  dist_name              text  NOT NULL DEFAULT '',
  dist_version           text  NOT NULL DEFAULT '',
  dist_version_code_name text  NOT NULL DEFAULT '',
  dist_version_id        text  NOT NULL DEFAULT '',
  dist_arch              text  NOT NULL DEFAULT '',
  dist_cpe               text  NOT NULL DEFAULT '',
  dist_pretty_name       text  NOT NULL DEFAULT '',
  repo_name              text  NOT NULL DEFAULT '',
  repo_key               text  NOT NULL DEFAULT '',
  repo_uri               text  NOT NULL DEFAULT '',
  fixed_in_version       text  NOT NULL DEFAULT '',
  arch_operation         text  NOT NULL DEFAULT '',
  vulnerable_range       VersionRange NOT NULL DEFAULT VersionRange('{}', '{}', '()'),
  version_kind           text  NOT NULL DEFAULT '',
  not_vulnerable         boolean NOT NULL DEFAULT false,
  UNIQUE (hash_kind, hash)
);
CREATE INDEX vuln_lookup_idx ON vuln (package_name, dist_id, dist_name, dist_pretty_name, dist_version, dist_version_id,
  package_module, dist_version_code_name, repo_name, dist_arch, dist_cpe, repo_key, repo_uri);
CREATE INDEX vuln_updater_idx ON vuln (updater);

CREATE TABLE uo_vuln (
  uo   bigint NOT NULL REFERENCES update_operation (id) ON DELETE CASCADE,
  vuln bigint NOT NULL REFERENCES vuln (id) ON DELETE CASCADE,
  PRIMARY KEY (uo, vuln)
);
CREATE INDEX uo_vuln_vuln_idx ON uo_vuln (vuln);

CREATE TABLE enrichment (
  id        bigserial PRIMARY KEY,
  hash_kind text   NOT NULL,
  hash      bytea  NOT NULL,
  updater   text   NOT NULL,
  tags      text[] NOT NULL DEFAULT '{}',
  data      jsonb  NOT NULL,
  UNIQUE (hash_kind, hash)
);
CREATE INDEX enrichment_tags_idx ON enrichment USING gin (tags);

CREATE TABLE uo_enrich (
  uo     bigint NOT NULL REFERENCES update_operation (id) ON DELETE CASCADE,
  enrich bigint NOT NULL REFERENCES enrichment (id) ON DELETE CASCADE,
  PRIMARY KEY (uo, enrich)
);
CREATE INDEX uo_enrich_enrich_idx ON uo_enrich (enrich);

CREATE TABLE updater_status (
  updater_name             text PRIMARY KEY,
  last_attempt             timestamptz,
  last_success             timestamptz,
  last_run_succeeded       boolean,
  last_attempt_fingerprint text,
  last_error               text
);

CREATE TABLE alias_namespace (
  id        bigserial PRIMARY KEY,
  namespace text NOT NULL UNIQUE
);

CREATE TABLE alias (
  id        bigserial PRIMARY KEY,
  namespace bigint NOT NULL REFERENCES alias_namespace (id) ON DELETE CASCADE,
  name      text   NOT NULL,
  UNIQUE (namespace, name)
);

CREATE TABLE vulnerability_alias (
  vulnerability bigint NOT NULL REFERENCES vuln (id) ON DELETE CASCADE,
  alias         bigint NOT NULL REFERENCES alias (id) ON DELETE CASCADE,
  PRIMARY KEY (vulnerability, alias)
);

CREATE TABLE vulnerability_self (
  vulnerability bigint PRIMARY KEY REFERENCES vuln (id) ON DELETE CASCADE,
  self          bigint NOT NULL REFERENCES alias (id) ON DELETE CASCADE
);

-- The newest update operation of each updater, refreshed after each update.
CREATE MATERIALIZED VIEW latest_update_operations AS
  SELECT DISTINCT ON (updater) id, kind, updater
  FROM update_operation
  ORDER BY updater, id DESC;
CREATE UNIQUE INDEX latest_update_operations_updater_idx ON latest_update_operations (updater);

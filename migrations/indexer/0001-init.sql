-- Indexer schema: manifests, layers, what each scanner found in each layer,
-- and the finished index reports. Scan results are content-addressed by
-- (layer, scanner), so a layer scanned once is never scanned again.

CREATE TABLE scanner (
  id      bigserial PRIMARY KEY,
  name    text NOT NULL,
  version text NOT NULL,
  kind    text NOT NULL,
  UNIQUE (name, version, kind)
);

CREATE TABLE manifest (
  id   bigserial PRIMARY KEY,
  hash text NOT NULL UNIQUE
);

CREATE TABLE layer (
  id   bigserial PRIMARY KEY,
  hash text NOT NULL UNIQUE
);

CREATE TABLE manifest_layer (
  manifest_id bigint  NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
  layer_id    bigint  NOT NULL REFERENCES layer (id) ON DELETE CASCADE,
  i           integer NOT NULL,
  PRIMARY KEY (manifest_id, layer_id, i)
);
CREATE INDEX manifest_layer_layer_idx ON manifest_layer (layer_id);

CREATE TABLE scanned_manifest (
  manifest_id bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
  scanner_id  bigint NOT NULL REFERENCES scanner (id) ON DELETE CASCADE,
  PRIMARY KEY (manifest_id, scanner_id)
);

CREATE TABLE scanned_layer (
  layer_id   bigint NOT NULL REFERENCES layer (id) ON DELETE CASCADE,
  scanner_id bigint NOT NULL REFERENCES scanner (id) ON DELETE CASCADE,
  PRIMARY KEY (layer_id, scanner_id)
);

CREATE TABLE indexreport (
  manifest_id bigint NOT NULL UNIQUE REFERENCES manifest (id) ON DELETE CASCADE,
  state       text   NOT NULL,
  scan_result jsonb  NOT NULL
);

CREATE TABLE dist (
  id                bigserial PRIMARY KEY,
  name              text NOT NULL DEFAULT '',
  did               text NOT NULL DEFAULT '',
  version           text NOT NULL DEFAULT '',
  version_code_name text NOT NULL DEFAULT '',
  version_id        text NOT NULL DEFAULT '',
  arch              text NOT NULL DEFAULT '',
  cpe               text NOT NULL DEFAULT '',
  pretty_name       text NOT NULL DEFAULT '',
  UNIQUE (name, did, version, version_code_name, version_id, arch, cpe, pretty_name)
);

CREATE TABLE dist_scanartifact (
  layer_id   bigint NOT NULL REFERENCES layer (id) ON DELETE CASCADE,
  dist_id    bigint NOT NULL REFERENCES dist (id) ON DELETE CASCADE,
  scanner_id bigint NOT NULL REFERENCES scanner (id) ON DELETE CASCADE,
  PRIMARY KEY (layer_id, dist_id, scanner_id)
);

CREATE TABLE package (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  kind         text NOT NULL DEFAULT '',
  version      text NOT NULL DEFAULT '',
  norm_kind    text,
  norm_version integer[],
  module       text NOT NULL DEFAULT '',
  arch         text NOT NULL DEFAULT '',
  UNIQUE (name, version, kind, module, arch)
);
CREATE INDEX package_name_idx ON package (name);

CREATE TABLE package_scanartifact (
  layer_id        bigint NOT NULL REFERENCES layer (id) ON DELETE CASCADE,
  package_id      bigint NOT NULL REFERENCES package (id) ON DELETE CASCADE,
  source_id       bigint REFERENCES package (id) ON DELETE CASCADE,
  scanner_id      bigint NOT NULL REFERENCES scanner (id) ON DELETE CASCADE,
  package_db      text   NOT NULL DEFAULT '',
  repository_hint text   NOT NULL DEFAULT '',
  filepath        text   NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX package_scanartifact_unique_idx
  ON package_scanartifact (layer_id, package_id, COALESCE(source_id, 0), scanner_id, package_db, filepath);

CREATE TABLE repo (
  id   bigserial PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  key  text NOT NULL DEFAULT '',
  uri  text NOT NULL DEFAULT '',
  cpe  text NOT NULL DEFAULT '',
  UNIQUE (name, key, uri)
);

CREATE TABLE repo_scanartifact (
  layer_id   bigint NOT NULL REFERENCES layer (id) ON DELETE CASCADE,
  repo_id    bigint NOT NULL REFERENCES repo (id) ON DELETE CASCADE,
  scanner_id bigint NOT NULL REFERENCES scanner (id) ON DELETE CASCADE,
  PRIMARY KEY (layer_id, repo_id, scanner_id)
);

CREATE TABLE file (
  id   bigserial PRIMARY KEY,
  path text NOT NULL,
  kind text NOT NULL,
  UNIQUE (path, kind)
);

CREATE TABLE file_scanartifact (
  layer_id   bigint NOT NULL REFERENCES layer (id) ON DELETE CASCADE,
  file_id    bigint NOT NULL REFERENCES file (id) ON DELETE CASCADE,
  scanner_id bigint NOT NULL REFERENCES scanner (id) ON DELETE CASCADE,
  PRIMARY KEY (layer_id, file_id, scanner_id)
);

-- One row per index record of a finished manifest: the reverse index the
-- notifier's affected-manifests query walks.
CREATE TABLE manifest_index (
  id          bigserial PRIMARY KEY,
  package_id  bigint NOT NULL REFERENCES package (id) ON DELETE CASCADE,
  dist_id     bigint REFERENCES dist (id) ON DELETE CASCADE,
  repo_id     bigint REFERENCES repo (id) ON DELETE CASCADE,
  manifest_id bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX manifest_index_unique_idx
  ON manifest_index (package_id, COALESCE(dist_id, 0), COALESCE(repo_id, 0), manifest_id);
CREATE INDEX manifest_index_manifest_idx ON manifest_index (manifest_id);

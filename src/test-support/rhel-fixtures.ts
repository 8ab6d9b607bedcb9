/**
 * @module Test fixtures for the RHEL scanners: dnf 4 and dnf 5 history
 * databases built with sql.js on dnf's own schemas (libdnf's swdb
 * `create_tables.sql`, libdnf5's `transaction/db`), a loopback server
 * standing in for Red Hat's mapping files (with ETag / Last-Modified
 * revalidation, scripted failures and a hanging mode), and small realistic
 * documents: a repository-to-CPE excerpt, a content manifest, a build
 * Dockerfile.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import initSqlJs from 'sql.js';

/** An rpm as dnf's history names it. */
export interface DnfNevra {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch: string;
}

/** What a transaction did to one rpm. `upgraded` / `downgraded` are the outgoing versions. */
export type DnfAction = 'install' | 'upgrade' | 'upgraded' | 'downgrade' | 'downgraded' | 'reinstall' | 'remove';

export interface DnfItem {
  rpm: DnfNevra;
  repoid: string;
  action: DnfAction;
}

/** One dnf transaction (e.g. `dnf -y install nginx`). */
export interface DnfTransaction {
  cmdline: string;
  items: DnfItem[];
}

/** libdnf `TransactionItemAction` numbers (swdb). */
const DNF4_ACTIONS: Record<DnfAction, number> = { install: 1, downgrade: 2, downgraded: 3, upgrade: 6, upgraded: 7, remove: 8, reinstall: 9 };
/** libdnf5 `trans_item_action` names. */
const DNF5_ACTIONS: Record<DnfAction, string> = { install: 'Install', upgrade: 'Upgrade', upgraded: 'Replaced', downgrade: 'Downgrade', downgraded: 'Replaced', reinstall: 'Reinstall', remove: 'Remove' };

const DNF4_SCHEMA = `
CREATE TABLE trans (
  id INTEGER PRIMARY KEY, dt_begin INTEGER NOT NULL, dt_end INTEGER, rpmdb_version_begin TEXT, rpmdb_version_end TEXT,
  releasever TEXT NOT NULL, user_id INTEGER NOT NULL, cmdline TEXT, state INTEGER NOT NULL, comment TEXT);
CREATE TABLE repo (id INTEGER PRIMARY KEY, repoid TEXT NOT NULL);
CREATE TABLE console_output (id INTEGER PRIMARY KEY, trans_id INTEGER REFERENCES trans(id), file_descriptor INTEGER NOT NULL, line TEXT NOT NULL);
CREATE TABLE item (id INTEGER PRIMARY KEY, item_type INTEGER NOT NULL);
CREATE TABLE trans_item (
  id INTEGER PRIMARY KEY, trans_id INTEGER REFERENCES trans(id), item_id INTEGER REFERENCES item(id),
  repo_id INTEGER REFERENCES repo(id), action INTEGER NOT NULL, reason INTEGER NOT NULL, state INTEGER NOT NULL);
CREATE TABLE trans_with (
  id INTEGER PRIMARY KEY, trans_id INTEGER REFERENCES trans(id), item_id INTEGER REFERENCES item(id),
  CONSTRAINT trans_with_unique_trans_item UNIQUE (trans_id, item_id));
CREATE TABLE rpm (
  item_id INTEGER UNIQUE NOT NULL, name TEXT NOT NULL, epoch INTEGER NOT NULL, version TEXT NOT NULL,
  release TEXT NOT NULL, arch TEXT NOT NULL, FOREIGN KEY(item_id) REFERENCES item(id),
  CONSTRAINT rpm_unique_nevra UNIQUE (name, epoch, version, release, arch));
CREATE TABLE comps_group (
  item_id INTEGER UNIQUE NOT NULL, groupid TEXT NOT NULL, name TEXT NOT NULL, translated_name TEXT NOT NULL,
  pkg_types INTEGER NOT NULL, FOREIGN KEY(item_id) REFERENCES item(id));
CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO config VALUES ('version', '1.2');
CREATE INDEX rpm_name ON rpm(name);
CREATE UNIQUE INDEX repo_repoid ON repo(repoid);
CREATE UNIQUE INDEX trans_item_trans_id_item_id ON trans_item(trans_id, item_id);
`;

const DNF5_SCHEMA = `
CREATE TABLE "trans_state" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);
INSERT INTO "trans_state" VALUES (1, 'Started'), (2, 'Ok'), (3, 'Error');
CREATE TABLE "trans" (
  "id" INTEGER PRIMARY KEY, "dt_begin" INTEGER NOT NULL, "dt_end" INTEGER, "rpmdb_version_begin" TEXT, "rpmdb_version_end" TEXT,
  "releasever" TEXT NOT NULL, "user_id" INTEGER NOT NULL, "description" TEXT, "comment" TEXT,
  "state_id" INTEGER REFERENCES "trans_state" ("id"));
CREATE TABLE "repo" ("id" INTEGER PRIMARY KEY, "repoid" TEXT NOT NULL UNIQUE);
CREATE TABLE "item" ("id" INTEGER PRIMARY KEY);
CREATE TABLE "trans_item_action" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);
INSERT INTO "trans_item_action" VALUES (1, 'Install'), (2, 'Upgrade'), (3, 'Downgrade'), (4, 'Reinstall'), (5, 'Remove'),
  (6, 'Replaced'), (7, 'Reason Change'), (8, 'Enable'), (9, 'Disable'), (10, 'Reset'), (11, 'Switch');
CREATE TABLE "trans_item_reason" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);
INSERT INTO "trans_item_reason" VALUES (0, 'None'), (1, 'Dependency'), (2, 'User'), (3, 'Clean'), (4, 'Weak Dependency'), (5, 'Group');
CREATE TABLE "trans_item_state" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);
INSERT INTO "trans_item_state" VALUES (1, 'Started'), (2, 'Ok'), (3, 'Error');
CREATE TABLE "trans_item" (
  "id" INTEGER PRIMARY KEY, "trans_id" INTEGER REFERENCES "trans" ("id"), "item_id" INTEGER REFERENCES "item" ("id"),
  "repo_id" INTEGER REFERENCES "repo" ("id"), "action_id" INTEGER REFERENCES "trans_item_action" ("id"),
  "reason_id" INTEGER REFERENCES "trans_item_reason" ("id"), "state_id" INTEGER REFERENCES "trans_item_state" ("id"),
  CONSTRAINT "trans_item_unique_trans_item" UNIQUE ("trans_id", "item_id"));
CREATE TABLE "pkg_name" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);
CREATE TABLE "arch" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);
CREATE TABLE "rpm" (
  "item_id" INTEGER UNIQUE NOT NULL, "name_id" INTEGER NOT NULL, "epoch" INTEGER NOT NULL, "version" TEXT NOT NULL,
  "release" TEXT NOT NULL, "arch_id" INTEGER NOT NULL,
  FOREIGN KEY ("item_id") REFERENCES "item" ("id"), FOREIGN KEY ("name_id") REFERENCES "pkg_name" ("id"),
  FOREIGN KEY ("arch_id") REFERENCES "arch" ("id"),
  CONSTRAINT "rpm_unique_nevra" UNIQUE ("name_id", "epoch", "version", "release", "arch_id"));
CREATE TABLE "config" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL);
INSERT INTO "config" VALUES ('version', '1.2');
`;

type Db = InstanceType<Awaited<ReturnType<typeof initSqlJs>>['Database']>;

const nevraKey = (n: DnfNevra): string => `${n.name}\0${n.epoch ?? 0}\0${n.version}\0${n.release}\0${n.arch}`;

/** Inserts-or-finds a row by a unique text column, returning its id. */
function idOf(db: Db, table: string, column: string, value: string): number {
  const found = db.exec(`SELECT id FROM "${table}" WHERE "${column}" = ?`, [value]);
  if (found[0]) return Number(found[0].values[0]![0]);
  db.run(`INSERT INTO "${table}" ("${column}") VALUES (?)`, [value]);
  return Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
}

/** A dnf 4 `history.sqlite`; with `wal` its header says WAL mode, as dnf leaves it. */
export async function dnf4History(transactions: readonly DnfTransaction[], options: { wal?: boolean } = {}): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run(DNF4_SCHEMA);
    const items = new Map<string, number>();
    transactions.forEach((t, i) => {
      db.run('INSERT INTO trans (id, dt_begin, dt_end, releasever, user_id, cmdline, state) VALUES (?, ?, ?, ?, 0, ?, 1)', [i + 1, 1700000000 + i * 60, 1700000030 + i * 60, '9', t.cmdline]);
      for (const it of t.items) {
        let item = items.get(nevraKey(it.rpm));
        if (item === undefined) {
          db.run('INSERT INTO item (item_type) VALUES (1)');
          item = Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
          items.set(nevraKey(it.rpm), item);
          db.run('INSERT INTO rpm (item_id, name, epoch, version, release, arch) VALUES (?, ?, ?, ?, ?, ?)', [item, it.rpm.name, it.rpm.epoch ?? 0, it.rpm.version, it.rpm.release, it.rpm.arch]);
        }
        const repo = idOf(db, 'repo', 'repoid', it.repoid);
        db.run('INSERT INTO trans_item (trans_id, item_id, repo_id, action, reason, state) VALUES (?, ?, ?, ?, 2, 1)', [i + 1, item, repo, DNF4_ACTIONS[it.action]]);
      }
    });
    const bytes = db.export();
    if (options.wal) bytes[18] = bytes[19] = 2;
    return bytes;
  } finally {
    db.close();
  }
}

/** A dnf 5 `transaction_history.sqlite`. */
export async function dnf5History(transactions: readonly DnfTransaction[]): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run(DNF5_SCHEMA);
    const items = new Map<string, number>();
    transactions.forEach((t, i) => {
      db.run('INSERT INTO trans (id, dt_begin, dt_end, releasever, user_id, description, state_id) VALUES (?, ?, ?, ?, 0, ?, 2)', [i + 1, 1700000000 + i * 60, 1700000030 + i * 60, '10', t.cmdline]);
      for (const it of t.items) {
        let item = items.get(nevraKey(it.rpm));
        if (item === undefined) {
          db.run('INSERT INTO item DEFAULT VALUES');
          item = Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
          items.set(nevraKey(it.rpm), item);
          const name = idOf(db, 'pkg_name', 'name', it.rpm.name);
          const arch = idOf(db, 'arch', 'name', it.rpm.arch);
          db.run('INSERT INTO rpm (item_id, name_id, epoch, version, release, arch_id) VALUES (?, ?, ?, ?, ?, ?)', [item, name, it.rpm.epoch ?? 0, it.rpm.version, it.rpm.release, arch]);
        }
        const repo = idOf(db, 'repo', 'repoid', it.repoid);
        const action = Number(db.exec('SELECT id FROM trans_item_action WHERE name = ?', [DNF5_ACTIONS[it.action]])[0]!.values[0]![0]);
        db.run('INSERT INTO trans_item (trans_id, item_id, repo_id, action_id, reason_id, state_id) VALUES (?, ?, ?, ?, 2, 2)', [i + 1, item, repo, action]);
      }
    });
    return db.export();
  } finally {
    db.close();
  }
}

/** How the mapping server answers, changeable between requests. */
export interface MappingRoute {
  status: number;
  body: string;
  etag?: string;
  lastModified?: string;
  /** Never answer (the socket stays open until the server closes). */
  hang?: boolean;
  /** Send headers, then stall before the body. */
  stallBody?: boolean;
}

/** A request the mapping server saw. */
export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A loopback server for mapping files. */
export interface MappingServer {
  /** URL of `path` on the server. */
  url(path: string): string;
  requests: SeenRequest[];
  /** Sets the answer for `path`. */
  route(path: string, route: MappingRoute): void;
  close(): Promise<void>;
}

/**
 * Starts a mapping server on 127.0.0.1, port 0. A request carrying the
 * route's ETag in `If-None-Match`, or (without an ETag) its Last-Modified in
 * `If-Modified-Since`, is answered 304. Unknown paths are 404.
 */
export async function serveMappings(): Promise<MappingServer> {
  const routes = new Map<string, MappingRoute>();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res: ServerResponse) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const r = routes.get(path);
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    if (r.hang) return;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (r.etag) headers['etag'] = r.etag;
    if (r.lastModified) headers['last-modified'] = r.lastModified;
    const fresh = r.etag ? req.headers['if-none-match'] === r.etag : r.lastModified !== undefined && req.headers['if-modified-since'] === r.lastModified;
    if (r.status === 200 && fresh) {
      res.writeHead(304, headers).end();
      return;
    }
    if (r.stallBody) {
      res.writeHead(r.status, headers);
      res.write(r.body.slice(0, 10));
      return;
    }
    res.writeHead(r.status, headers).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    route: (path, route) => routes.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An excerpt of Red Hat's `repository-to-cpe.json`, including a CPE that does not parse (Red Hat data has had some). */
export const REPO2CPE_EXCERPT = {
  data: {
    'rhel-9-for-x86_64-baseos-rpms': { cpes: ['cpe:/o:redhat:enterprise_linux:9::baseos'] },
    'rhel-9-for-x86_64-appstream-rpms': { cpes: ['cpe:/a:redhat:enterprise_linux:9::appstream'] },
    'rhel-9-for-x86_64-baseos-eus-rpms__9_DOT_2': { cpes: ['cpe:/o:redhat:rhel_eus:9.2::baseos', 'cpe:/o:redhat:enterprise_linux:9::baseos'] },
    'codeready-builder-for-rhel-9-x86_64-rpms': { cpes: ['cpe:/a:redhat:enterprise_linux:9::crb'] },
    'rhel-8-for-x86_64-appstream-rpms': { cpes: ['cpe:/a:redhat:enterprise_linux:8::appstream', 'cpe:/a:redhat:rhel_eus:8.8::appstream'] },
    'rhocp-4.14-for-rhel-9-x86_64-rpms': { cpes: ['cpe:/a:redhat:openshift:4.14::el9', 'cpe:/a:redhat:openshift:4.*'] },
  },
} as const;

/** A content manifest as OSBS writes them into `root/buildinfo/content_manifests/`. */
export function contentManifest(contentSets: readonly string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      metadata: {
        icm_version: 1,
        icm_spec: 'https://raw.githubusercontent.com/containerbuildsystem/atomic-reactor/master/atomic_reactor/schemas/content_manifest.json',
        image_layer_index: 1,
      },
      content_sets: contentSets,
      image_contents: [{ purl: 'pkg:golang/github.com/openshift/api@v0.0.0-20231010075512' }],
      ...extra,
    },
    null,
    2,
  );
}

/** A build Dockerfile as Red Hat images carry in `root/buildinfo/`, here for ubi9-minimal. */
export const UBI9_MINIMAL_DOCKERFILE = `FROM sha256:bc1c40ee0a0e1b2f1e7a2d3bf25c1f9fd63f6b35d3de25b2bc2b54f3e0b7d1a4

# Red Hat Universal Base Image 9 Minimal
LABEL maintainer="Red Hat, Inc."
LABEL vendor="Red Hat, Inc."
LABEL url="https://www.redhat.com"
LABEL com.redhat.component="ubi9-minimal-container" \\
      name="ubi9/ubi-minimal" \\
      version="9.3" \\
      distribution-scope="public"

#label for EULA
LABEL com.redhat.license_terms="https://www.redhat.com/en/about/red-hat-end-user-license-agreements#UBI"

#labels for container catalog
LABEL summary="Provides the latest release of the minimal Red Hat Universal Base Image 9."
LABEL description="The Universal Base Image Minimal is a stripped down image that uses microdnf as a package manager."
LABEL io.k8s.display-name="Red Hat Universal Base Image 9 Minimal"
LABEL io.openshift.expose-services=""
LABEL io.openshift.tags="minimal rhel9"

ENV container oci
ENV PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

CMD ["/bin/bash"]

RUN rm -rf /var/log/*
ADD ubi9-minimal-container-9.3-1361.json /root/buildinfo/content_manifests/ubi9-minimal-container-9.3-1361.json
LABEL "release"="1361" "architecture"="x86_64" "vcs-type"="git" "build-date"="2023-11-15T10:14:40"
`;

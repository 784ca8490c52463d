/**
 * The database schema as an ordered list of migrations. A file records the migrations it has had in
 * `schema_version`; opening it applies the missing ones in order, each in its own transaction, so an
 * old snapshot restored from a release keeps its rows and gains the new structure.
 *
 * Compactness matters (the file is uploaded every run and history grows daily): days are stored as
 * integers (days since 1970-01-01, see days.ts), history tables are `WITHOUT ROWID` keyed by what they
 * are looked up by, and JSON columns are NULL when empty.
 */
import type { DatabaseSync } from 'node:sqlite'

export interface Migration {
  version: number
  description: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'initial schema',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE owners (
        login TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        id INTEGER,
        type TEXT CHECK (type IN ('User', 'Organization')),
        first_seen TEXT NOT NULL,
        last_refresh TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        retired INTEGER NOT NULL DEFAULT 0
      );

      -- Why an owner is known: 'self', 'input', 'file', 'stargazers', 'watchers', 'forks', ...
      CREATE TABLE owner_edges (
        login TEXT NOT NULL COLLATE NOCASE,
        source TEXT NOT NULL,
        PRIMARY KEY (login, source)
      ) WITHOUT ROWID;

      CREATE TABLE packages (
        pkg INTEGER PRIMARY KEY,
        owner TEXT NOT NULL COLLATE NOCASE,
        owner_type TEXT NOT NULL CHECK (owner_type IN ('users', 'orgs')),
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        repo TEXT,
        owner_id INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        last_refresh TEXT,
        refreshed_cycle INTEGER NOT NULL DEFAULT 0,
        versions_cursor INTEGER NOT NULL DEFAULT 0,
        version_count INTEGER,
        last_published TEXT,
        retired INTEGER NOT NULL DEFAULT 0,
        UNIQUE (owner, type, name)
      );

      CREATE TABLE versions (
        pkg INTEGER NOT NULL,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        tags TEXT,          -- JSON array, NULL when untagged
        size INTEGER,       -- headline image size, NULL when unknown; never cleared once known
        sizes TEXT,         -- JSON {platform: bytes}, NULL when unknown
        last_seen INTEGER NOT NULL, -- day the version's numbers were last read (its published date)
        -- The latest numbers (the history is in version_days): read without a history lookup.
        downloads INTEGER NOT NULL,
        d_month INTEGER,
        d_week INTEGER,
        d_day INTEGER,
        PRIMARY KEY (pkg, id)
      ) WITHOUT ROWID;

      -- One row per package per UTC day; NULL = not known that day.
      CREATE TABLE package_days (
        pkg INTEGER NOT NULL,
        day INTEGER NOT NULL,
        downloads INTEGER,
        d_month INTEGER,
        d_week INTEGER,
        d_day INTEGER,
        PRIMARY KEY (pkg, day)
      ) WITHOUT ROWID;

      -- One row per version per UTC day on which its numbers changed (see package-refresh.ts).
      CREATE TABLE version_days (
        pkg INTEGER NOT NULL,
        id INTEGER NOT NULL,
        day INTEGER NOT NULL,
        downloads INTEGER NOT NULL,
        d_month INTEGER,
        d_week INTEGER,
        d_day INTEGER,
        PRIMARY KEY (pkg, id, day)
      ) WITHOUT ROWID;
    `
  },
  {
    version: 2,
    description: 'stale markers on packages (SPEC 5.3, 6.2) and packages by repository (opt-out by repo)',
    sql: `
      -- JSON {metric: {day, page, marker}}: metrics carried over from an earlier read; NULL when none.
      ALTER TABLE packages ADD COLUMN stale TEXT;
      CREATE INDEX packages_by_repo ON packages (owner, repo);
    `
  },
  {
    version: 3,
    description: 'full passes over the versions pages: pass start per package, seen time per version (SPEC 5.6)',
    sql: `
      -- ISO time the current pass over the deep versions pages began; NULL when none is in progress.
      ALTER TABLE packages ADD COLUMN versions_pass_started_at TEXT;
      -- When the version was last observed in a refresh, epoch seconds (a complete pass deletes the
      -- versions seen before it began). Older rows only know the day: the end of that day is assumed,
      -- so a pass begun that day never deletes a version it may have seen.
      ALTER TABLE versions ADD COLUMN seen_at INTEGER NOT NULL DEFAULT 0;
      UPDATE versions SET seen_at = (last_seen + 1) * 86400 - 1;
    `
  },
  {
    version: 4,
    description: 'daily chart bars per package and day, and the changes log (SPEC 10)',
    sql: `
      -- One bar of GitHub's 30-day chart per package and chart day (GitHub's day, not the UTC day of
      -- the run); a later reading of the same day replaces an earlier one (the newest bar still counts).
      CREATE TABLE package_chart (
        pkg INTEGER NOT NULL,
        day INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (pkg, day)
      ) WITHOUT ROWID;

      -- The latest change of each package in the last 7 days (changes.json): recorded when a refresh
      -- changes what the package file shows, or when the package leaves the index. Keyed by names, not
      -- pkg, so a deleted package keeps its row. time: epoch seconds.
      CREATE TABLE changes (
        owner TEXT NOT NULL COLLATE NOCASE,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        repo TEXT,
        action TEXT NOT NULL CHECK (action IN ('update', 'delete')),
        time INTEGER NOT NULL,
        PRIMARY KEY (owner, type, name)
      ) WITHOUT ROWID;
      -- Each write prunes what is older than 7 days: by this index, not a scan of the log.
      CREATE INDEX changes_by_time ON changes (time);
    `
  },
  {
    version: 5,
    description: 'quiet packages: the newest full reading and its chart, quiet refreshes for the rotation (SPEC 13.1)',
    sql: `
      -- ISO time of the newest refresh whose package page was understood and not stale; NULL: none.
      ALTER TABLE packages ADD COLUMN full_read_at TEXT;
      -- JSON {"end": day, "counts": [oldest, ..., newest]}: the chart of that reading, from which a
      -- listing's confirmation derives the windows (a stand-in until the daily bars have a table of their own).
      ALTER TABLE packages ADD COLUMN chart TEXT;
      -- Refreshes that found the package quiet: one in twenty of them reads the versions list anyway.
      ALTER TABLE packages ADD COLUMN quiet_count INTEGER NOT NULL DEFAULT 0;
    `
  }
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0

/** The version a database file is at (0 = empty file). */
export function schemaVersion(db: DatabaseSync): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get()
  const version = row?.version
  return typeof version === 'number' ? version : 0
}

/**
 * Applies the migrations the file lacks, up to `target` (tests stop early to build an old file).
 * A file from a newer action version is refused rather than silently misread.
 */
export function migrate(db: DatabaseSync, target: number = LATEST_SCHEMA_VERSION): number {
  const current = schemaVersion(db)
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this action knows (${LATEST_SCHEMA_VERSION})`)
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue
    db.exec('BEGIN IMMEDIATE')
    try {
      db.exec(migration.sql)
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(migration.version)
      db.exec('COMMIT')
    } catch (error) {
      db.exec('ROLLBACK')
      throw new Error(`database migration ${migration.version} (${migration.description}) failed: ${String(error)}`, {
        cause: error
      })
    }
  }
  return schemaVersion(db)
}

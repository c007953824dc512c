/*
 * The tables of a SQLite host's file. `runs.snapshot` is the run (a RunSnapshot: state,
 * revision, meta) as JSON, without its journal: the journal is in `journal`, one row per entry,
 * appended by each change (so a change writes what it adds, not the whole history). The other
 * columns of `runs` are derived from the snapshot at each write so that `list` and the deadline
 * timer answer from indexes. `outbox` holds the actions a change
 * requested, written in the same transaction as the change and deleted in the same transaction
 * as their result.
 */

/** The version of the tables; a file of a newer version is refused, an older one upgraded. */
export const SCHEMA_VERSION = 1;

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS sopflow_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS builds (
  hash      TEXT PRIMARY KEY,
  sop       TEXT NOT NULL,
  version   TEXT,
  config    TEXT NOT NULL,
  -- the order of publication: the newest build of an SOP id is the one with the highest seq
  seq       INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS runs (
  id          TEXT PRIMARY KEY,
  sop         TEXT NOT NULL,
  hash        TEXT NOT NULL REFERENCES builds(hash),
  revision    INTEGER NOT NULL,
  status      TEXT NOT NULL,
  step        TEXT,
  role        TEXT,
  deadline    INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  snapshot    TEXT NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS runs_by_created  ON runs (created_at, id);
CREATE INDEX IF NOT EXISTS runs_by_status   ON runs (status, created_at, id);
CREATE INDEX IF NOT EXISTS runs_by_sop      ON runs (sop, created_at, id);
CREATE INDEX IF NOT EXISTS runs_by_step     ON runs (step, created_at, id) WHERE step IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_by_role     ON runs (role, created_at, id) WHERE role IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_by_deadline ON runs (deadline) WHERE deadline IS NOT NULL;

CREATE TABLE IF NOT EXISTS journal (
  run_id  TEXT NOT NULL,
  idx     INTEGER NOT NULL,
  entry   TEXT NOT NULL,
  PRIMARY KEY (run_id, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS outbox (
  run_id    TEXT NOT NULL REFERENCES runs(id),
  idx       INTEGER NOT NULL,
  effect    TEXT NOT NULL,
  -- tries started so far (written before each try, so a crash during one still counts it)
  attempts  INTEGER NOT NULL DEFAULT 0,
  -- when the next try is due (ms since the epoch)
  due_at    INTEGER NOT NULL,
  PRIMARY KEY (run_id, idx)
) STRICT;

CREATE INDEX IF NOT EXISTS outbox_by_due ON outbox (due_at);
`;

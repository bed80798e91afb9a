-- Times are microseconds since the Unix epoch, UTC. Ids are SQLite rowids.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor', 'user')),
    blocked       INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    digest     BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX api_keys_user ON api_keys(user_id);

CREATE TABLE servers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    address     TEXT,
    port        INTEGER,
    protocol    TEXT,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    server_id        INTEGER NOT NULL REFERENCES servers(id),
    protocol         TEXT NOT NULL,
    started          INTEGER NOT NULL,
    ended            INTEGER,
    recording_format TEXT NOT NULL DEFAULT 'none',
    recording_blob   TEXT,
    recording_size   INTEGER,
    recording_sha256 TEXT,
    transfer_count   INTEGER NOT NULL DEFAULT 0,
    transfer_bytes   INTEGER NOT NULL DEFAULT 0,
    removed          INTEGER NOT NULL DEFAULT 0,
    removed_at       INTEGER,
    created_at       INTEGER NOT NULL,
    modified_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_started ON sessions(removed, started, id);
CREATE INDEX sessions_by_user ON sessions(user_id, removed, started, id);
CREATE INDEX sessions_by_server ON sessions(server_id, removed, started, id);

CREATE TABLE transfers (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    handle      INTEGER NOT NULL,
    path        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    from_server INTEGER NOT NULL,
    delta       INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL,
    blob        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (session_id, handle)
) STRICT;

-- A blob file that may exist on disk without a row pointing at it: an upload in
-- progress, or a blob whose row was deleted. Removed at start once its process is gone.
CREATE TABLE blob_intents (
    blob       TEXT PRIMARY KEY,
    pid        INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- The queue behind session_file and session_movie (see src/jobs).
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    node        TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    heartbeat   INTEGER,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_by_state ON jobs(state, id);

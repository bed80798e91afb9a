-- The job queue and the prepared downloads it produces (session_file, session_movie).
-- The placeholder `jobs` table of 0001 never held rows; it is replaced.

DROP TABLE jobs;

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    -- The row the job works for (a downloads.id for prepare and convert jobs).
    target      INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    node        TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    cancelled   INTEGER NOT NULL DEFAULT 0,
    heartbeat   INTEGER,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_queue ON jobs(state, id);

-- A session_file (a transfer prepared as a plain file) or a session_movie (a recording
-- converted to a format). The prepared file is `prepared/<id>`.
CREATE TABLE downloads (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('session_file', 'session_movie')),
    session_id       INTEGER NOT NULL REFERENCES sessions(id),
    handle           INTEGER,
    video_format     TEXT,
    video_resolution TEXT,
    job_id           INTEGER NOT NULL REFERENCES jobs(id),
    size             INTEGER,
    sha256           TEXT,
    ready            INTEGER NOT NULL DEFAULT 0,
    removed          INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    modified_at      INTEGER NOT NULL
) STRICT;
-- One live download per transfer, one per (recording, format, resolution).
CREATE UNIQUE INDEX downloads_file ON downloads(session_id, handle)
    WHERE kind = 'session_file' AND removed = 0;
CREATE UNIQUE INDEX downloads_movie ON downloads(session_id, video_format, video_resolution)
    WHERE kind = 'session_movie' AND removed = 0;
CREATE INDEX downloads_by_session ON downloads(session_id);

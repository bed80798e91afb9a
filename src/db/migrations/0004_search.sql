-- Full-text search over what sessions showed and what was typed in them, and over the
-- names of their user and server. A recording's text is indexed in segments, each with
-- the time (seconds from the start) it appeared, so that a match can be played from there.
CREATE VIRTUAL TABLE session_text USING fts5(
    body,
    session_id UNINDEXED,
    kind UNINDEXED,   -- 'names', 'output', 'input' or 'file'
    t UNINDEXED,      -- seconds from the start of the session; NULL for names
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Names of every existing session (recordings already stored are not re-read).
INSERT INTO session_text (body, session_id, kind, t)
SELECT u.name || ' ' || v.name, s.id, 'names', NULL
FROM sessions s JOIN users u ON u.id = s.user_id JOIN servers v ON v.id = s.server_id;

INSERT INTO session_text (body, session_id, kind, t)
SELECT path, session_id, 'file', delta / 1000.0 FROM transfers;

-- Lists filtered by protocol, newest first, walk this instead of every session.
CREATE INDEX sessions_by_protocol ON sessions(protocol, removed, started, id);

-- "What did this user do?" is the list auditors ask most. A user's sessions are spread
-- over the whole table (rows are stored in the order sessions arrive), so reading a page
-- of them through a plain index costs one table lookup, and usually one page, per row.
-- This index carries every column a session list reads (all but the joined names), so a
-- page is read from a few neighbouring index pages instead. A column added to the list
-- must be added here too, or the index silently stops covering.
DROP INDEX sessions_by_user;
CREATE INDEX sessions_by_user ON sessions(
    user_id, removed, started, id,
    server_id, protocol, ended, recording_format, recording_blob, recording_size,
    recording_sha256, transfer_count, transfer_bytes, removed_at, created_at, modified_at
);

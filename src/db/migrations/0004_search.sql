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

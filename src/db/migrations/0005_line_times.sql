-- Each passage of a recording's text keeps the time of every one of its lines, so that a
-- search tells at which line its first match appeared, not only in which passage. FTS5
-- tables take no new column: the table is made again, and older passages keep no line
-- times (their matches are timed by passage, as before).
CREATE VIRTUAL TABLE session_text_lines USING fts5(
    body,
    session_id UNINDEXED,
    kind UNINDEXED,   -- 'names', 'output', 'input' or 'file'
    t UNINDEXED,      -- seconds from the start of the session; NULL for names
    line_t UNINDEXED, -- the time of each line of body, space-separated; NULL but for passages
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO session_text_lines (body, session_id, kind, t)
SELECT body, session_id, kind, t FROM session_text;
DROP TABLE session_text;
ALTER TABLE session_text_lines RENAME TO session_text;

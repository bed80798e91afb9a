-- Session sharing (time-bounded links) and the audit trail of their use.
-- Times are microseconds since the Unix epoch, UTC.

-- A share key is shown again on every GET (Fudo does), so it is kept sealed
-- (AES-256-GCM under a server key, `key_sealed`) and looked up by its keyed digest
-- (`key_digest`). A revoked share keeps its row, so its digest keeps its key from ever
-- being handed out again.
CREATE TABLE shares (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    key_digest  BLOB NOT NULL UNIQUE,
    key_sealed  BLOB NOT NULL,
    valid_since INTEGER NOT NULL,
    valid_to    INTEGER NOT NULL,
    readonly    INTEGER NOT NULL,
    removed     INTEGER NOT NULL DEFAULT 0,
    removed_at  INTEGER,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    CHECK (valid_to > valid_since)
) STRICT;
CREATE INDEX shares_by_session ON shares(session_id, created_at, id);

-- What happened to shares: created, revoked, and every use of a link. Ids are plain
-- numbers, not foreign keys: the trail outlives the sessions and shares it names.
CREATE TABLE audit (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('share_create', 'share_revoke', 'share_use')),
    outcome        TEXT NOT NULL CHECK (outcome IN ('success', 'allowed', 'not_yet_valid', 'expired',
                                                    'revoked', 'session_removed', 'bad_key')),
    session_id     INTEGER,
    share_id       INTEGER,
    user_id        INTEGER,
    resource       TEXT CHECK (resource IN ('page', 'recording')),
    remote_address TEXT,
    user_agent     TEXT
) STRICT;
CREATE INDEX audit_by_time ON audit(at, id);
CREATE INDEX audit_by_session ON audit(session_id, at, id);
CREATE INDEX audit_by_share ON audit(share_id, at, id);

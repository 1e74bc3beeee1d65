-- Agent sessions, the API messages their tokens are counted from (once per message id), their events,
-- and the transcript files read so far (incremental ingest by byte offset).

CREATE TABLE sessions (
    session_id         TEXT PRIMARY KEY,
    agent              TEXT NOT NULL,
    model              TEXT,
    started_ts         TEXT,
    ended_ts           TEXT,
    cwd                TEXT,
    git_branch         TEXT,
    repo_slug          TEXT,
    input_tokens       INTEGER NOT NULL DEFAULT 0,
    output_tokens      INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
    cost_usd           REAL,
    title              TEXT,
    updated_ts         TEXT NOT NULL
);
CREATE INDEX ix_sessions_repo ON sessions (repo_slug, started_ts);
CREATE INDEX ix_sessions_started ON sessions (started_ts);

CREATE TABLE session_messages (
    session_id         TEXT NOT NULL,
    message_id         TEXT NOT NULL,
    model              TEXT,
    ts                 TEXT,
    input_tokens       INTEGER NOT NULL DEFAULT 0,
    output_tokens      INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, message_id)
);

CREATE TABLE session_events (
    id             INTEGER PRIMARY KEY,
    session_id     TEXT NOT NULL,
    record_key     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    ts             TEXT NOT NULL,
    command        TEXT,
    output_excerpt TEXT,
    is_error       INTEGER,
    path           TEXT,
    abs_path       TEXT,
    added_text     TEXT,
    sha            TEXT,
    branch         TEXT,
    subject        TEXT,
    url            TEXT,
    pr_number      INTEGER,
    tool_name      TEXT,
    UNIQUE (session_id, record_key, kind)
);
CREATE INDEX ix_session_events_session ON session_events (session_id, ts);
CREATE INDEX ix_session_events_kind ON session_events (kind, sha);
CREATE INDEX ix_session_events_path ON session_events (path);

CREATE TABLE session_files (
    path        TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL,
    line_count  INTEGER NOT NULL,
    head_hash   TEXT,
    agent       TEXT,
    session_id  TEXT,
    updated_ts  TEXT NOT NULL
);

-- Foundation: registered repositories, the webhook delivery log (also the inbox replayed on start), ingest cursors.
-- repo_slug is always stored lowercased (owner/name; GitLab path_with_namespace); timestamps are UTC ISO-8601 text.

CREATE TABLE repositories (
    repo_slug       TEXT PRIMARY KEY,
    display_slug    TEXT NOT NULL,
    provider        TEXT NOT NULL DEFAULT 'github',
    clone_path      TEXT,
    default_branch  TEXT,
    registered_ts   TEXT NOT NULL,
    last_scanned_ts TEXT
);

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    receiver     TEXT NOT NULL,
    delivery_id  TEXT NOT NULL,
    event        TEXT NOT NULL,
    action       TEXT,
    repo_slug    TEXT,
    status       TEXT NOT NULL,
    reason       TEXT,
    body         BLOB NOT NULL,
    body_sha256  TEXT NOT NULL,
    received_ts  TEXT NOT NULL,
    processed_ts TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (receiver, delivery_id)
);
CREATE INDEX ix_webhook_deliveries_status ON webhook_deliveries (status, id);
CREATE INDEX ix_webhook_deliveries_received ON webhook_deliveries (received_ts);

CREATE TABLE ingest_cursors (
    source     TEXT NOT NULL,
    scope      TEXT NOT NULL,
    cursor     TEXT NOT NULL,
    updated_ts TEXT NOT NULL,
    PRIMARY KEY (source, scope)
);

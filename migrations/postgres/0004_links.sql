-- The attribution graph: session↔commit links with evidence, session↔PR links, and downstream touches.

CREATE TABLE commit_session_link (
    commit_sha     TEXT NOT NULL,
    repo_slug      TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    link_type      TEXT NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    evidence_json  TEXT NOT NULL,
    established_ts TEXT NOT NULL,
    PRIMARY KEY (commit_sha, repo_slug, session_id)
);
CREATE INDEX ix_commit_session_link_session ON commit_session_link (session_id);
CREATE INDEX ix_commit_session_link_repo_session ON commit_session_link (repo_slug, session_id);

CREATE TABLE session_pr_links (
    session_id     TEXT NOT NULL,
    provider       TEXT NOT NULL,
    repo_slug      TEXT NOT NULL,
    pr_number      INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    evidence_json  TEXT NOT NULL,
    established_ts TEXT NOT NULL,
    PRIMARY KEY (session_id, provider, repo_slug, pr_number)
);
CREATE INDEX ix_session_pr_links_pr ON session_pr_links (provider, repo_slug, pr_number);

CREATE TABLE downstream_touches (
    repo_slug      TEXT NOT NULL,
    target_kind    TEXT NOT NULL,
    target_key     TEXT NOT NULL,
    touch_sha      TEXT NOT NULL,
    classification TEXT NOT NULL,
    touched_ts     TEXT NOT NULL,
    files_json     TEXT NOT NULL,
    PRIMARY KEY (repo_slug, target_kind, target_key, touch_sha)
);
CREATE INDEX ix_downstream_touches_sha ON downstream_touches (repo_slug, touch_sha);

-- Pull/merge requests, CI runs, commits and their files (from pushes, git and REST), PR membership, and
-- review feedback kept for the artifact index (§7).
-- source_updated_at (pr_outcomes, ci_runs) is the provider's own update time: upserts never overwrite a newer
-- version with an older one. ci_runs.status_rank (pending 0, in_progress 1, finished 2) and run_attempt order
-- CI updates within and across re-runs.

CREATE TABLE pr_outcomes (
    id                       INTEGER PRIMARY KEY,
    provider                 TEXT NOT NULL,
    repo_slug                TEXT NOT NULL,
    pr_number                INTEGER NOT NULL,
    title                    TEXT,
    state                    TEXT NOT NULL,
    merged_at                TEXT,
    reverted_at              TEXT,
    reverted_by_pr           INTEGER,
    author                   TEXT,
    url                      TEXT,
    head_ref                 TEXT,
    head_sha                 TEXT,
    base_ref                 TEXT,
    merge_commit_sha         TEXT,
    body                     TEXT,
    created_at               TEXT,
    closed_at                TEXT,
    source_updated_at        TEXT,
    raw_json                 TEXT,
    linked_session_ids       TEXT NOT NULL DEFAULT '[]',
    downstream_touch_count   INTEGER NOT NULL DEFAULT 0,
    last_downstream_touch_ts TEXT,
    updated_ts               TEXT NOT NULL,
    UNIQUE (provider, repo_slug, pr_number)
);
CREATE INDEX ix_pr_outcomes_head ON pr_outcomes (repo_slug, head_ref);
CREATE INDEX ix_pr_outcomes_state ON pr_outcomes (repo_slug, state, updated_ts);
CREATE INDEX ix_pr_outcomes_merge_sha ON pr_outcomes (merge_commit_sha);
CREATE INDEX ix_pr_outcomes_updated ON pr_outcomes (updated_ts);

CREATE TABLE ci_runs (
    id                INTEGER PRIMARY KEY,
    provider          TEXT NOT NULL,
    repo_slug         TEXT NOT NULL,
    run_id            TEXT NOT NULL,
    commit_sha        TEXT,
    status            TEXT NOT NULL,
    workflow_name     TEXT,
    branch            TEXT,
    url               TEXT,
    started_ts        TEXT,
    completed_ts      TEXT,
    source_updated_at TEXT,
    status_rank       INTEGER NOT NULL DEFAULT 0,
    run_attempt       INTEGER NOT NULL DEFAULT 1,
    raw_json          TEXT,
    updated_ts        TEXT NOT NULL,
    UNIQUE (provider, run_id)
);
CREATE INDEX ix_ci_runs_commit ON ci_runs (commit_sha);
CREATE INDEX ix_ci_runs_repo ON ci_runs (repo_slug, updated_ts);

CREATE TABLE commits (
    repo_slug       TEXT NOT NULL,
    sha             TEXT NOT NULL,
    parents         TEXT NOT NULL DEFAULT '[]',
    author_name     TEXT,
    author_email    TEXT,
    author_ts       TEXT,
    committer_name  TEXT,
    committer_email TEXT,
    committer_ts    TEXT,
    message         TEXT,
    subject         TEXT,
    trailers_json   TEXT NOT NULL DEFAULT '[]',
    reverts_sha     TEXT,
    agent           TEXT,
    agent_model     TEXT,
    source          TEXT NOT NULL,
    files_known     INTEGER NOT NULL DEFAULT 0,
    updated_ts      TEXT NOT NULL,
    PRIMARY KEY (repo_slug, sha)
);
CREATE INDEX ix_commits_sha ON commits (sha);
CREATE INDEX ix_commits_time ON commits (repo_slug, committer_ts);

CREATE TABLE commit_files (
    repo_slug     TEXT NOT NULL,
    sha           TEXT NOT NULL,
    path          TEXT NOT NULL,
    status        TEXT NOT NULL,
    old_path      TEXT,
    added_lines   INTEGER,
    deleted_lines INTEGER,
    PRIMARY KEY (repo_slug, sha, path)
);
CREATE INDEX ix_commit_files_path ON commit_files (repo_slug, path);

CREATE TABLE commit_refs (
    repo_slug TEXT NOT NULL,
    sha       TEXT NOT NULL,
    ref       TEXT NOT NULL,
    source    TEXT NOT NULL,
    seen_ts   TEXT NOT NULL,
    PRIMARY KEY (repo_slug, sha, ref)
);
CREATE INDEX ix_commit_refs_ref ON commit_refs (repo_slug, ref);

CREATE TABLE pr_commits (
    provider  TEXT NOT NULL,
    repo_slug TEXT NOT NULL,
    pr_number INTEGER NOT NULL,
    sha       TEXT NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (provider, repo_slug, pr_number, sha)
);
CREATE INDEX ix_pr_commits_sha ON pr_commits (repo_slug, sha);

CREATE TABLE pr_feedback (
    id             INTEGER PRIMARY KEY,
    provider       TEXT NOT NULL,
    repo_slug      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    pr_number      INTEGER,
    review_id      TEXT,
    in_reply_to_id TEXT,
    path           TEXT,
    line           INTEGER,
    commit_sha     TEXT,
    author         TEXT,
    body           TEXT,
    created_at     TEXT,
    delivery_id    TEXT,
    updated_ts     TEXT NOT NULL,
    UNIQUE (provider, repo_slug, kind, external_id)
);
CREATE INDEX ix_pr_feedback_pr ON pr_feedback (repo_slug, pr_number);
CREATE INDEX ix_pr_feedback_commit ON pr_feedback (commit_sha);

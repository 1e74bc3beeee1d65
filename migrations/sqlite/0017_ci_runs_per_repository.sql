-- A CI run is one repository's: a generic CI provider numbers its runs per project (Jenkins build 42 of two jobs),
-- so (provider, run_id) alone let one repository's delivery take over another's run. GitHub and GitLab ids are global,
-- so for them nothing changes. SQLite cannot change a table's UNIQUE constraint: the table is rebuilt, rows and ids kept.
CREATE TABLE ci_runs_per_repository (
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
    UNIQUE (provider, repo_slug, run_id)
);
INSERT INTO ci_runs_per_repository (id, provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts,
                                    completed_ts, source_updated_at, status_rank, run_attempt, raw_json, updated_ts)
SELECT id, provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts,
       completed_ts, source_updated_at, status_rank, run_attempt, raw_json, updated_ts
FROM ci_runs;
DROP TABLE ci_runs;
ALTER TABLE ci_runs_per_repository RENAME TO ci_runs;
CREATE INDEX ix_ci_runs_commit ON ci_runs (commit_sha);
CREATE INDEX ix_ci_runs_repo ON ci_runs (repo_slug, updated_ts);

-- PR stage attribution (§10): what was recorded by hand per PR and stage. Derived attribution is computed
-- from the attribution graph when a report is made, so a recorded value and a derived one are both kept
-- and never overwrite each other. repo_slug is '' for PRs recorded without a repository (seed walkthrough).

CREATE TABLE pr_stage_prs (
    repo_slug   TEXT NOT NULL,
    pr_number   INTEGER NOT NULL,
    title       TEXT,
    branch      TEXT,
    created_by  TEXT,
    status      TEXT NOT NULL DEFAULT 'pending',
    recorded_ts TEXT NOT NULL,
    updated_ts  TEXT NOT NULL,
    PRIMARY KEY (repo_slug, pr_number)
);

CREATE TABLE pr_stage_entries (
    repo_slug   TEXT NOT NULL,
    pr_number   INTEGER NOT NULL,
    stage       TEXT NOT NULL,
    provider    TEXT NOT NULL,
    session_id  TEXT NOT NULL DEFAULT '',
    recorded_ts TEXT NOT NULL,
    PRIMARY KEY (repo_slug, pr_number, stage, provider, session_id)
);
CREATE INDEX ix_pr_stage_entries_session ON pr_stage_entries (session_id);

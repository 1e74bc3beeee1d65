-- The artifact reverse index of §7: signed agent artifacts (comments, reviews, review comments, GitLab notes,
-- commits) → the session (span_id) that produced them. One row per artifact identity; first write wins.
-- Partial unique indexes keep each kind's identity apart (an issue comment id and a review comment id may collide).

CREATE TABLE run_attribution_artifacts (
    id                INTEGER PRIMARY KEY,
    provider          TEXT NOT NULL,
    repo_slug         TEXT NOT NULL,
    kind              TEXT NOT NULL,
    comment_id        TEXT,
    review_id         TEXT,
    review_comment_id TEXT,
    parent_comment_id TEXT,
    pr_number         INTEGER,
    file_path         TEXT,
    line              INTEGER,
    commit_sha        TEXT,
    span_id           TEXT NOT NULL,
    agent_name        TEXT,
    instance_id       TEXT NOT NULL,
    metadata_json     TEXT NOT NULL,
    delivery_id       TEXT,
    captured_ts       TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_artifacts_issue_comment ON run_attribution_artifacts (provider, repo_slug, comment_id) WHERE kind = 'issue_comment';
CREATE UNIQUE INDEX ux_artifacts_note ON run_attribution_artifacts (provider, repo_slug, comment_id) WHERE kind = 'note';
CREATE UNIQUE INDEX ux_artifacts_review ON run_attribution_artifacts (provider, repo_slug, review_id) WHERE kind = 'review';
CREATE UNIQUE INDEX ux_artifacts_review_comment ON run_attribution_artifacts (provider, repo_slug, review_comment_id) WHERE kind = 'review_comment';
CREATE UNIQUE INDEX ux_artifacts_commit ON run_attribution_artifacts (repo_slug, commit_sha) WHERE kind = 'commit';
CREATE INDEX ix_artifacts_pr ON run_attribution_artifacts (repo_slug, pr_number);
CREATE INDEX ix_artifacts_span ON run_attribution_artifacts (span_id);

-- The sweeper reads feedback and commits written since its cursor (updated_ts, key).
CREATE INDEX ix_pr_feedback_updated ON pr_feedback (updated_ts, id);
CREATE INDEX ix_commits_updated ON commits (updated_ts, repo_slug, sha);

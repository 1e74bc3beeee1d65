-- Dashboard reads: find the commits that revert a given commit (yield report, commit page) without scanning a repository's history.
CREATE INDEX ix_commits_reverts ON commits (repo_slug, reverts_sha);

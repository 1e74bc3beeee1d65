-- Renames are looked up by their old name (LinkingInputStore.FilesOnPathsAsync: which commits changed a file under any of
-- its names). Without an index every lookup read all of a repository's file changes (4 s of an incremental pass on a
-- 100k-commit history). Partial: only renames and copies have an old path, so ingest writes almost nothing more.
CREATE INDEX ix_commit_files_old_path ON commit_files (repo_slug, old_path) WHERE old_path IS NOT NULL;

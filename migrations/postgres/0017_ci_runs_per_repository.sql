-- A CI run is one repository's: a generic CI provider numbers its runs per project (Jenkins build 42 of two jobs),
-- so (provider, run_id) alone let one repository's delivery take over another's run. GitHub and GitLab ids are global,
-- so for them nothing changes.
ALTER TABLE ci_runs DROP CONSTRAINT ci_runs_provider_run_id_key;
ALTER TABLE ci_runs ADD CONSTRAINT ci_runs_provider_repo_slug_run_id_key UNIQUE (provider, repo_slug, run_id);

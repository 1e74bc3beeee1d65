-- Attribution recorded at the source by tools a team already runs (docs/sources.md): Entire checkpoints and
-- git-ai authorship notes. What the tool said is kept as read; the links it gives are made by the attribution pass.
--   source 'entire': record_key is the checkpoint id, files_json the session's files touched (from its metadata);
--   source 'git-ai': record_key is the commit's sha, files_json {path: AI-written lines} of that session.
CREATE TABLE recorded_sessions (
    repo_slug     TEXT NOT NULL,
    source        TEXT NOT NULL,
    record_key    TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    files_json    TEXT NOT NULL,
    evidence_json TEXT NOT NULL,
    updated_ts    TEXT NOT NULL,
    PRIMARY KEY (repo_slug, source, record_key, session_id)
);

-- Per commit, the lines it adds and how many of them an AI wrote, as its git-ai note attests.
CREATE TABLE commit_ai_lines (
    repo_slug   TEXT NOT NULL,
    sha         TEXT NOT NULL,
    source      TEXT NOT NULL,
    ai_lines    INTEGER NOT NULL,
    added_lines INTEGER NOT NULL,
    updated_ts  TEXT NOT NULL,
    PRIMARY KEY (repo_slug, sha)
);

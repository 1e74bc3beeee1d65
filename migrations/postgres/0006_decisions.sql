-- Decisions recorded over CSTP (§9), their reviews (by hand or by outcome attribution), and reported bugs.
-- project is a repo slug stored lowercased; ids are CSTP-style 8-hex strings.

CREATE TABLE decisions (
    id             TEXT PRIMARY KEY,
    summary        TEXT NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    category       TEXT,
    stakes         TEXT,
    agent          TEXT,
    context        TEXT,
    project        TEXT,
    feature        TEXT,
    pr_number      INTEGER,
    file_path      TEXT,
    line           INTEGER,
    commit_sha     TEXT,
    created_ts     TEXT NOT NULL,
    outcome        TEXT,
    outcome_source TEXT,
    outcome_reason TEXT,
    reviewed_ts    TEXT
);
CREATE INDEX ix_decisions_project ON decisions (project, created_ts);
CREATE INDEX ix_decisions_file ON decisions (project, file_path);
CREATE INDEX ix_decisions_commit ON decisions (commit_sha);
CREATE INDEX ix_decisions_created ON decisions (created_ts);

CREATE TABLE decision_reviews (
    decision_id TEXT NOT NULL,
    source      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    verdict     TEXT,
    reason      TEXT,
    bug_id      TEXT,
    reviewed_ts TEXT NOT NULL,
    PRIMARY KEY (decision_id, source)
);

CREATE TABLE bug_reports (
    id               TEXT PRIMARY KEY,
    project          TEXT NOT NULL,
    file_path        TEXT,
    line             INTEGER,
    origin_line      INTEGER,
    introducing_sha  TEXT,
    pr_number        INTEGER,
    at_commit        TEXT,
    description      TEXT,
    frames_json      TEXT NOT NULL,
    reported_ts      TEXT NOT NULL,
    missed           INTEGER NOT NULL DEFAULT 0,
    attributed_ts    TEXT
);
CREATE INDEX ix_bug_reports_project ON bug_reports (project, reported_ts);
CREATE INDEX ix_bug_reports_file ON bug_reports (project, file_path);

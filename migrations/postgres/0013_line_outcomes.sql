-- Line-level outcomes (issue 18, docs/engine.md "Line-level outcomes"). Each downstream touch says how many of the
-- target's own lines it removed or rewrote (NULL: not known, e.g. no clone to read). Per target (a commit linked to a
-- session, or a merged PR): the lines it wrote and how many are still there at the head of the default branch and
-- 14 and 30 days after it landed (NULL: too young, or not in that branch's history), and how many later work by
-- others rewrote. fingerprint names the inputs the figures were read from; the pass reads git again only when it
-- changes. head_sha is the default branch tip the figures were read at.
ALTER TABLE downstream_touches ADD COLUMN lines_changed INTEGER;

CREATE TABLE line_outcomes (
    repo_slug                 TEXT NOT NULL,
    target_kind               TEXT NOT NULL,
    target_key                TEXT NOT NULL,
    lines_written             INTEGER NOT NULL,
    lines_at_head             INTEGER,
    lines_after_14d           INTEGER,
    lines_after_30d           INTEGER,
    lines_rewritten_by_others INTEGER NOT NULL,
    head_sha                  TEXT,
    fingerprint               TEXT NOT NULL,
    computed_ts               TEXT NOT NULL,
    PRIMARY KEY (repo_slug, target_kind, target_key)
);

-- The session a sub-agent was spawned or forked from (Codex: session_meta forked_from_id,
-- source.subagent.thread_spawn.parent_thread_id, or parent_thread_id for review sub-agents). A parent and the
-- sub-agents it spawned work in one working tree on one task: the linker does not count their edits of the same files
-- as rival claims on a commit (docs/readme/engine.md, "Sub-agents").
ALTER TABLE sessions ADD COLUMN parent_session_id TEXT;

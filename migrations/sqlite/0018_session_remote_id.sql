-- The id the agent's hosted side knows the session by, when the transcript names one (Claude Code remote sessions:
-- every record carries "bridgeSessionId": "cse_<id>", and the commits it makes carry
-- "Claude-Session: https://claude.ai/code/session_<id>"), stored without its prefix. A session trailer naming it names
-- this session (docs/engine.md, the linking rubric).
ALTER TABLE sessions ADD COLUMN remote_id TEXT;

-- ci_runs.status_rank for rows the REST backfill wrote before every write went through one store: it never set the
-- rank, so finished runs kept the default 0 and a replayed in_progress delivery (rank 1) could replace a success.
-- Ranks as Common.CiStatus.Rank: pending 0, in_progress 1, finished (success, failure, cancelled, skipped) 2.
UPDATE ci_runs SET status_rank = 2 WHERE status IN ('success', 'failure', 'cancelled', 'skipped') AND status_rank <> 2;
UPDATE ci_runs SET status_rank = 1 WHERE status = 'in_progress' AND status_rank <> 1;

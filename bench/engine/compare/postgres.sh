#!/bin/bash
# Ingests one clone with two builds of attribution (BEFORE_DLL, AFTER_DLL) into fresh databases and compares the rows ingest writes.
R=$1; N=$2
export ATTRIBUTION_DB_PROVIDER=postgres
for v in before after; do
  if [ $v = before ]; then DLL=${BEFORE_DLL:?build of the reader before}; else DLL=${AFTER_DLL:-$(dirname $0)/../../../src/Attribution/bin/Release/net10.0/attribution.dll}; fi
  db=cmp_$(printf %s "$N" | tr -c "a-zA-Z0-9_" "_")_$v   # a database name is an identifier: no dashes
  psql -q -h 127.0.0.1 -p ${PGPORT:-5432} -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  export ATTRIBUTION_DB="Host=127.0.0.1;Port=${PGPORT:-5432};Username=postgres;Database=$db"
  dotnet $DLL migrate >/dev/null 2>&1
  /usr/bin/time -f "$N $v pg: %e s wall" dotnet $DLL ingest git --path $R --repo x/$N 2>&1 | grep -E "wall$"
  P="psql -At -h 127.0.0.1 -p ${PGPORT:-5432} -U postgres -d $db -c"
  $P "select repo_slug,sha,source,parents,author_name,author_email,author_ts,committer_name,committer_email,committer_ts,message,subject,trailers_json,reverts_sha,agent,agent_model,files_known from commits order by repo_slug,sha" > pg-$N-$v.commits
  $P "select * from commit_files order by 1,2,3" > pg-$N-$v.files
  $P "select repo_slug,sha,ref,source from commit_refs order by 1,2,3" > pg-$N-$v.refs
  # what ingest reads from the source tools' refs (Entire checkpoints, git-ai notes)
  $P "select session_id,agent,model,started_ts,ended_ts,cwd,git_branch,repo_slug,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,cost_usd,title,parent_session_id from sessions order by 1" > pg-$N-$v.sessions
  $P "select session_id,record_key,kind,ts,command,output_excerpt,is_error,path,abs_path,added_text,sha,branch,subject,url,pr_number,tool_name from session_events order by 1,2,3,4" > pg-$N-$v.events
  $P "select * from session_messages order by 1,2" > pg-$N-$v.messages
  $P "select repo_slug,source,record_key,session_id,files_json,evidence_json from recorded_sessions order by 1,2,3,4" > pg-$N-$v.recorded
done
for t in commits files refs sessions events messages recorded; do [ -s pg-$N-after.$t ] || echo "pg $t EMPTY (did ingest fail?)"; cmp -s pg-$N-before.$t pg-$N-after.$t && echo "pg $t identical ($(wc -l < pg-$N-after.$t) lines)" || echo "pg $t DIFFER"; done

#!/bin/bash
# Ingests one clone with two builds of attribution (BEFORE_DLL, AFTER_DLL) into fresh databases and compares the rows ingest writes.
# usage: cmp.sh repo.git name  -> ingest with before and after builds into SQLite, dump, diff
R=$1; N=$2
for v in before after; do
  if [ $v = before ]; then DLL=${BEFORE_DLL:?build of the reader before}; else DLL=${AFTER_DLL:-$(dirname $0)/../../../src/Attribution/bin/Release/net10.0/attribution.dll}; fi
  rm -f ${OUT:-/tmp}/$N-$v.db*
  export ATTRIBUTION_DB=${OUT:-/tmp}/$N-$v.db
  dotnet $DLL migrate >/dev/null 2>&1
  /usr/bin/time -f "$N $v: %e s wall %U+%S s cpu %M KB" dotnet $DLL ingest git --path $R --repo x/$N 2>&1 | grep -E "wall|elapsed|commits read:"
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select repo_slug,sha,source,parents,author_name,author_email,author_ts,committer_name,committer_email,committer_ts,message,subject,trailers_json,reverts_sha,agent,agent_model,files_known from commits order by sha" > ${OUT:-/tmp}/$N-$v.commits 2>&1
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select * from commit_files order by 1,2,3" > ${OUT:-/tmp}/$N-$v.files
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select repo_slug,sha,ref,source from commit_refs order by 1,2,3" > ${OUT:-/tmp}/$N-$v.refs
  # what ingest reads from the source tools' refs (Entire checkpoints, git-ai notes)
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select session_id,agent,model,started_ts,ended_ts,cwd,git_branch,repo_slug,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,cost_usd,title,parent_session_id from sessions order by 1" > ${OUT:-/tmp}/$N-$v.sessions
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select session_id,record_key,kind,ts,command,output_excerpt,is_error,path,abs_path,added_text,sha,branch,subject,url,pr_number,tool_name from session_events order by 1,2,3,4" > ${OUT:-/tmp}/$N-$v.events
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select * from session_messages order by 1,2" > ${OUT:-/tmp}/$N-$v.messages
  sqlite3 ${OUT:-/tmp}/$N-$v.db "select repo_slug,source,record_key,session_id,files_json,evidence_json from recorded_sessions order by 1,2,3,4" > ${OUT:-/tmp}/$N-$v.recorded
done
for t in commits files refs sessions events messages recorded; do [ -s ${OUT:-/tmp}/$N-after.$t ] || echo "$t EMPTY (did ingest fail?)"; cmp -s ${OUT:-/tmp}/$N-before.$t ${OUT:-/tmp}/$N-after.$t && echo "$t identical ($(wc -l < ${OUT:-/tmp}/$N-after.$t) lines)" || echo "$t DIFFER"; done

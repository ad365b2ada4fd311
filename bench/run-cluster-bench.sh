#!/usr/bin/env bash
# Builds the master-tier cluster benchmark and runs it. It starts its own PostgreSQL 15 (initdb in a temp dir, run as the
# `postgres` OS user via setpriv, listening on 127.0.0.1 only, stopped by PID at the end) and N gateway nodes in process
# on 127.0.0.1 port 0, so it needs root and /usr/lib/postgresql/15/bin. Arguments go to the harness; try --help, or
# --quick for a smoke run. Example: bench/run-cluster-bench.sh --out cluster-bench.json
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/ClusterBench/Enslavism.Bench.Cluster.csproj"

if [ "$(id -u)" -ne 0 ]; then
  echo "run-cluster-bench: needs root (PostgreSQL is started as the postgres user through setpriv)" >&2
  exit 1
fi
[ -x /usr/lib/postgresql/15/bin/postgres ] || { echo "run-cluster-bench: needs PostgreSQL 15 in /usr/lib/postgresql/15/bin" >&2; exit 1; }

dotnet build "$project" -c Release -nologo -v:q
dll="$here/ClusterBench/bin/Release/net10.0/Enslavism.Bench.Cluster.dll"

# The harness bounds every wait and its whole run (--help); this outer limit only guards against a wedged process.
exec timeout --kill-after=30 1800 dotnet "$dll" "$@"

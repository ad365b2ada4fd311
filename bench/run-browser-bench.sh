#!/usr/bin/env bash
# Builds the browser benchmark harness, then runs it inside a fresh network namespace whose only interface is loopback
# (needs root for `unshare -n`). In there every ICE candidate and every packet is 127.0.0.1, and Chromium cannot send
# anything (mDNS, background requests) anywhere else. Arguments go to the harness; try --help, or --quick for a smoke
# test. Example: bench/run-browser-bench.sh --out browser-bench.json
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/BrowserBench/Enslavism.Bench.Browser.csproj"

# Built outside the namespace: a restore may need the package feed.
dotnet build "$project" -c Release -nologo -v:q
dll="$here/BrowserBench/bin/Release/net10.0/Enslavism.Bench.Browser.dll"

if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
  echo "run-browser-bench: needs root and 'unshare -n' (util-linux) for a loopback-only network namespace" >&2
  exit 1
fi
command -v ip >/dev/null || { echo "run-browser-bench: needs 'ip' (iproute2)" >&2; exit 1; }

# The harness's own time limits end it; this outer one only guards against a wedged browser or driver.
exec timeout --kill-after=30 3600 unshare -n sh -c 'ip link set lo up && exec dotnet "$0" "$@"' "$dll" "$@"

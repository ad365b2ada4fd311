#!/usr/bin/env bash
# Runs every test of the project: the TypeScript client's unit tests, then each .NET test project in turn
# (unit, integration on real Kestrel/WebSockets, headless Chromium, PostgreSQL cluster, WebRTC interop).
# Ends with one summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

bash scripts/install-prereqs.sh || exit 1

passed=0; failed=0; skipped=0; broken=0
log=$(mktemp -d)

echo "== TypeScript client: npm ci, unit tests"
( cd src/BrowserClient && npm ci --no-audit --no-fund --loglevel=error && npm test ) 2>&1 | tee "$log/ts.txt"
ts_status=${PIPESTATUS[0]}
ts_pass=$(grep -E '^(ℹ|#) pass [0-9]+' "$log/ts.txt" | tail -1 | grep -oE '[0-9]+$' || echo 0)
ts_fail=$(grep -E '^(ℹ|#) fail [0-9]+' "$log/ts.txt" | tail -1 | grep -oE '[0-9]+$' || echo 0)
passed=$((passed + ${ts_pass:-0})); failed=$((failed + ${ts_fail:-0}))
if [ "$ts_status" -ne 0 ] && [ "${ts_fail:-0}" -eq 0 ]; then broken=$((broken + 1)); echo "TypeScript tests did not run cleanly"; fi

# The published Enslavism 0.9.0 browser bundle for the compatibility tests (Enslavism.Browser.Tests), fetched before
# the build because the tests run without network. Skipped when the locked version is already installed; on failure
# the tests say what to run.
compat09=tests/Enslavism.Browser.Tests/compat09
echo "== Enslavism 0.9 bundle: npm ci in $compat09"
if grep -q '"version": "0.9.0"' "$compat09/node_modules/enslavism/package.json" 2>/dev/null \
  && [ -f "$compat09/node_modules/enslavism/dist/client.bundle.js" ]; then
  echo "enslavism@0.9.0 already installed"
elif ! timeout 300 npm ci --prefix "$compat09" --no-audit --no-fund --loglevel=error; then
  echo "npm ci in $compat09 failed: the Enslavism 0.9 compatibility tests will fail"
fi

# The interop peers' npm packages are fetched here, outside the loopback-only namespace the tests run in (the
# interop fixture would run the same `npm ci` itself, but it has no network there).
if [ ! -d tests/interop-peers/node_modules ]; then
  echo "== interop peers: npm ci"
  ( cd tests/interop-peers && npm ci --no-audit --no-fund --loglevel=error ) || echo "interop peers: npm ci failed (the npm peer tests will fail)"
fi

echo "== .NET: build"
if ! dotnet build Enslavism.sln -c Release -nologo -v:q; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Tests run inside a fresh network namespace whose only interface is loopback, when the machine allows it (root):
# nothing a test starts can reach another address, and browsers gather only loopback ICE candidates.
isolate=()
if unshare -n true 2>/dev/null && command -v ip >/dev/null 2>&1; then
  isolate=(unshare -n sh -c 'ip link set lo up && exec "$@"' isolated)
  echo "tests run in a loopback-only network namespace"
else
  echo "unshare -n unavailable: tests run in the host network namespace (they still bind only to loopback)"
fi

for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  # A project with no test sources yet is not a test run.
  if [ -z "$(find "$(dirname "$proj")" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | head -n 1)" ]; then continue; fi
  echo "== $name"
  trx="$log/$name/result.trx"
  "${isolate[@]}" dotnet test "$proj" -c Release --no-build -nologo --results-directory "$log/$name" --logger "trx;LogFileName=result.trx" 2>&1 | tee "$log/$name.txt"
  status=${PIPESTATUS[0]}
  counters=$(grep -oE '<Counters [^>]*>' "$trx" 2>/dev/null | head -n 1)
  if [ -z "$counters" ]; then
    broken=$((broken + 1)); echo "$name: no test results (exit $status)"
    continue
  fi
  attr() { echo "$counters" | grep -oE " $1=\"[0-9]+\"" | grep -oE '[0-9]+' || echo 0; }
  p=$(attr passed); f=$(( $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted) ))
  s=$(( $(attr total) - $(attr executed) ))
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then broken=$((broken + 1)); echo "$name: test host failed (exit $status)"; fi
done

rm -rf "$log"
failed=$((failed + broken))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

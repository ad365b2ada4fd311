#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine that already has the .NET SDK and Node.js:
# Chromium and Firefox ESR (browser and interop tests), PostgreSQL 15 server binaries (cluster tests; the test fixture starts its own instance),
# and the independent WebRTC peers used by the interop tests (aiortc, pion via Go).
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
/usr/bin/python3 -c 'import aiortc' 2>/dev/null || need+=(python3-aiortc)
command -v go >/dev/null 2>&1 || need+=(golang-go)
[ -d /usr/share/gocode/src/github.com/pion/webrtc ] || need+=(golang-github-pion-webrtc.v3-dev)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)

if [ ${#need[@]} -eq 0 ]; then
  echo "prerequisites: all present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "prerequisites missing (${need[*]}); run this script as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "prerequisites: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Package scripts must not start services: the tests start their own PostgreSQL on a private port.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
apt-get install -y -q --no-install-recommends "${need[@]}"
[ "$created_policy" -eq 1 ] && rm -f "$policy"
echo "prerequisites: done"

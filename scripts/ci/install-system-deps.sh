#!/usr/bin/env bash
# Installs the Debian packages the tests need beyond Node: PostgreSQL 15 with pg_cron and pgTAP (the
# database tests in test/pg15), Chromium (the dashboard's browser tests) and redis-server (the live
# event stream's Redis tests in test/live). Idempotent and quick when
# everything is present: `apt-get update` runs only when a package is missing. CI runs it as root.
set -euo pipefail

PACKAGES=(postgresql-15 postgresql-15-cron postgresql-15-pgtap chromium redis-server)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: all present (${PACKAGES[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "system deps: missing ${missing[*]} and no apt-get here; install them with your package manager" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "system deps: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "system deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
# The Debian postgresql packages create and start a default cluster on install; the tests never use
# it (they initdb their own throwaway server), so its creation is skipped.
if [ ! -e /etc/postgresql-common/createcluster.d/stratos-no-cluster.conf ]; then
  "${as_root[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | "${as_root[@]}" tee /etc/postgresql-common/createcluster.d/stratos-no-cluster.conf >/dev/null
fi
"${as_root[@]}" apt-get install -y -qq "${missing[@]}"
echo "system deps: installed ${missing[*]}"

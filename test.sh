#!/usr/bin/env bash
# Runs every test of Fangkong: unit, storage (on SQLite and on a real PostgreSQL server), imports,
# exports, the command line, and the web application in real headless Chromium. Installs and starts
# PostgreSQL, and installs Chromium with CJK fonts, when they are missing (needs root for apt-get).
# Ends with one line "N passed, N failed"; exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")"

PG_USER=fangkong
PG_PASSWORD=fangkong-test

start_postgres() {
  if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed; run as root, or set FANGKONG_TEST_PG to a server's connection string." >&2
      exit 2
    fi
    echo "Installing PostgreSQL (apt-get) …"
    apt_install postgresql
  fi
  if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    newest=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    pg_createcluster "$newest" main >/dev/null
  fi
  read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
  if [ "$status" != online ]; then
    pg_ctlcluster "$version" "$cluster" start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
  done
  su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
  export FANGKONG_TEST_PG="Host=127.0.0.1;Port=$port;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"
}

apt_updated=
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "$* not installed; run as root so that apt-get can install it." >&2
    exit 2
  fi
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The browser tests drive Debian's Chromium; without CJK fonts Chinese renders as boxes in screenshots.
ensure_browser() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing ${missing[*]} (apt-get) …"
    apt_install "${missing[@]}"
  fi
  export FANGKONG_CHROMIUM=/usr/bin/chromium
}

if [ -z "${FANGKONG_TEST_PG:-}" ]; then
  start_postgres
fi
ensure_browser

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"
status=0
dotnet test Fangkong.slnx -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$passed" = 0 ] && [ "$status" = 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed"
if [ "$failed" != 0 ]; then
  status=1
fi
exit "$status"

# shellcheck shell=bash
# Sourced by .ci/run: start a throwaway PostgreSQL so the server suite also runs on that
# backend. Sets DATABASE_URL on success; on any failure prints why and leaves it unset (the
# PostgreSQL suite then fails when CI is set, as .ci/run sets it, and skips with the reason
# elsewhere). Never exits the caller's shell.

_fal_pg_setup() {
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "postgres.sh: DATABASE_URL already set, using it"
    return 0
  fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "postgres.sh: installing Debian's postgresql"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        || { echo "postgres.sh: apt-get install postgresql failed; PostgreSQL suite will fail in CI"; return 1; }
      bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
  fi
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "postgres.sh: no PostgreSQL binaries found; PostgreSQL suite will fail in CI"
    return 1
  fi

  # initdb refuses to run as root: run the cluster as the postgres user when we are root.
  local as=()
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "postgres.sh: running as root and no 'postgres' user; PostgreSQL suite will fail in CI"
      return 1
    fi
    if command -v runuser >/dev/null 2>&1; then as=(runuser -u postgres --); else as=(su postgres -s /bin/sh -c); fi
  fi
  _fal_as() {
    if [ "${#as[@]}" -eq 0 ]; then "$@"
    elif [ "${as[0]}" = su ]; then "${as[@]}" "$(printf '%q ' "$@")"
    else "${as[@]}" "$@"; fi
  }

  local dir port
  dir=$(mktemp -d /tmp/fal-pg.XXXXXX) || return 1
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  # A free loopback port: ask the kernel for one.
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  if ! _fal_as "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed (see $dir/initdb.log); PostgreSQL suite will fail in CI"
    tail -n 5 "$dir/initdb.log"
    return 1
  fi
  if ! _fal_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" start >/dev/null 2>&1; then
    echo "postgres.sh: PostgreSQL did not start (see $dir/server.log); PostgreSQL suite will fail in CI"
    tail -n 5 "$dir/server.log" 2>/dev/null
    return 1
  fi
  if ! _fal_as "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres frugal_test >/dev/null 2>&1; then
    echo "postgres.sh: createdb failed; PostgreSQL suite will fail in CI"
    _fal_as "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
    return 1
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/frugal_test"
  FAL_PG_DIR=$dir
  FAL_PG_BIN=$bindir
  echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, DATABASE_URL set"
  return 0
}

fal_pg_cleanup() {
  if [ -n "${FAL_PG_DIR:-}" ] && [ -d "$FAL_PG_DIR/data" ]; then
    if [ "$(id -u)" = 0 ]; then
      runuser -u postgres -- "$FAL_PG_BIN/pg_ctl" -D "$FAL_PG_DIR/data" -m fast stop >/dev/null 2>&1
    else
      "$FAL_PG_BIN/pg_ctl" -D "$FAL_PG_DIR/data" -m fast stop >/dev/null 2>&1
    fi
    rm -rf "$FAL_PG_DIR"
    unset DATABASE_URL FAL_PG_DIR
  fi
}

if _fal_pg_setup; then
  # Chain onto an existing EXIT trap rather than replacing the caller's.
  _fal_prev_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  # shellcheck disable=SC2064
  trap "fal_pg_cleanup; ${_fal_prev_trap:-:}" EXIT
fi
unset -f _fal_pg_setup
true

# Sourced by bin/test: a throwaway PostgreSQL server for the run store's PostgreSQL tests. Installs
# Debian's postgresql package where it is missing, starts a fresh cluster in a temp directory on a
# free localhost port (trust authentication, reachable from 127.0.0.1 and its own socket only), creates
# the database panoptim_test and exports PANOPTIM_TEST_POSTGRES_URL. Never fatal: when the server
# cannot start it says why and leaves the variable unset, and those tests skip with that reason.
#   pt_start_test_postgres; ...; pt_stop_test_postgres   (bin/test stops it in its EXIT trap)

pt_postgres_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null)
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

pt_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

pt_start_test_postgres() {
  unset PANOPTIM_TEST_POSTGRES_URL
  local bindir
  if ! bindir=$(pt_postgres_bindir); then
    if command -v apt-get >/dev/null 2>&1; then
      echo "panoptim: installing postgresql for the run store's PostgreSQL tests" >&2
      local sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || true
    fi
    if ! bindir=$(pt_postgres_bindir); then
      echo "panoptim: no PostgreSQL server (initdb, pg_ctl) and it could not be installed; the PostgreSQL tests will be skipped" >&2
      return 0
    fi
  fi
  # initdb refuses to run as root: run the server as the postgres user then
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "panoptim: running as root without a postgres user to run PostgreSQL as; the PostgreSQL tests will be skipped" >&2
      return 0
    fi
    as=(runuser -u postgres --)
  fi
  PT_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/panoptim-pg.XXXXXX")
  PT_PG_BINDIR=$bindir
  PT_PG_AS=("${as[@]}")
  [ ${#as[@]} -eq 0 ] || chown postgres "$PT_PG_DIR"
  local user port log="$PT_PG_DIR/server.log"
  user=$([ ${#as[@]} -eq 0 ] && id -un || echo postgres)
  port=$(pt_free_port)
  if ! "${as[@]}" "$bindir/initdb" -D "$PT_PG_DIR/data" -U "$user" -A trust -E UTF8 --no-sync >"$PT_PG_DIR/initdb.log" 2>&1; then
    echo "panoptim: initdb failed; the PostgreSQL tests will be skipped:" >&2
    tail -n 5 "$PT_PG_DIR/initdb.log" >&2
    pt_stop_test_postgres
    return 0
  fi
  if ! "${as[@]}" "$bindir/pg_ctl" -D "$PT_PG_DIR/data" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PT_PG_DIR -c fsync=off -c max_connections=100" start >/dev/null 2>&1; then
    echo "panoptim: the PostgreSQL test server did not start on port $port; the PostgreSQL tests will be skipped:" >&2
    tail -n 5 "$log" >&2
    pt_stop_test_postgres
    return 0
  fi
  if ! "${as[@]}" "$bindir/psql" -h "$PT_PG_DIR" -p "$port" -U "$user" -d postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE panoptim_test" >"$PT_PG_DIR/createdb.log" 2>&1; then
    echo "panoptim: could not create the test database; the PostgreSQL tests will be skipped:" >&2
    tail -n 5 "$PT_PG_DIR/createdb.log" >&2
    pt_stop_test_postgres
    return 0
  fi
  export PANOPTIM_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/panoptim_test?user=$user"
  echo "panoptim: PostgreSQL test server at $PANOPTIM_TEST_POSTGRES_URL (in $PT_PG_DIR)" >&2
}

pt_stop_test_postgres() {
  [ -n "${PT_PG_DIR:-}" ] || return 0
  if [ -f "$PT_PG_DIR/data/postmaster.pid" ]; then
    "${PT_PG_AS[@]}" "$PT_PG_BINDIR/pg_ctl" -D "$PT_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PT_PG_DIR"
  unset PT_PG_DIR PANOPTIM_TEST_POSTGRES_URL
}

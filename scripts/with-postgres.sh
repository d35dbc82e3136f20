#!/usr/bin/env bash
# Runs a command against a private, throwaway PostgreSQL server: a new cluster in a temporary
# directory, listening only on 127.0.0.1 at a free port, TLS with a certificate from a test CA made
# here, password (SCRAM) authentication for a test role. The cluster is stopped and the directory
# removed on exit; the command's exit status is kept. Usage: scripts/with-postgres.sh CMD [ARG...]
#
# Exports TOKENKEEPER_TEST_POSTGRES=postgres://USER:PASS@127.0.0.1:PORT/postgres?sslmode=verify-full&sslrootcert=CA
# which crates/store-postgres's tests use (each makes databases of its own on the server).
# Works inside scripts/with-keychain.sh and around it. The server refuses to run as root: as root,
# the cluster runs as the `postgres` user (the Debian package creates it).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

pg_bin="${TK_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
for tool in "$pg_bin/initdb" "$pg_bin/pg_ctl" openssl; do
  if ! command -v "$tool" >/dev/null; then
    echo "with-postgres: $tool is missing: run scripts/test.sh (or npm test) once, it installs postgresql" >&2
    exit 1
  fi
done

if [ "$(id -u)" -eq 0 ]; then
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

# /tmp unless TMPDIR is one the server's user can reach (a wrapper's private HOME may not be).
base="${TMPDIR:-/tmp}"
tk_pg="$(mktemp -d "$base/tokenkeeper-postgres.XXXXXX")"
chmod 755 "$tk_pg"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$tk_pg"; then
  rmdir "$tk_pg"
  tk_pg="$(mktemp -d /tmp/tokenkeeper-postgres.XXXXXX)"
  chmod 755 "$tk_pg"
fi

stop_server() {
  if [ -f "$tk_pg/data/postmaster.pid" ]; then
    as_server "$pg_bin/pg_ctl" -D "$tk_pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tk_pg"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The test CA and the server's certificate (127.0.0.1 and localhost), both EC P-256: quick to make.
mkdir "$tk_pg/tls"
(
  cd "$tk_pg/tls"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=TokenKeeper test CA" -keyout ca.key -out ca.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile server.ext -out server.pem 2>/dev/null
  rm -f server.csr ca.key ca.srl server.ext
)
chmod 755 "$tk_pg/tls"
chmod 644 "$tk_pg/tls/ca.pem" "$tk_pg/tls/server.pem"
chmod 600 "$tk_pg/tls/server.key"

user=tokenkeeper_test
password="$(openssl rand -hex 16)"
mkdir "$tk_pg/data" "$tk_pg/run"
printf '%s\n' "$password" >"$tk_pg/pwfile"
chmod 600 "$tk_pg/pwfile"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$tk_pg/data" "$tk_pg/run" "$tk_pg/pwfile" "$tk_pg/tls/server.key"
fi
chmod 700 "$tk_pg/data"

as_server "$pg_bin/initdb" -D "$tk_pg/data" -U "$user" --pwfile="$tk_pg/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$tk_pg/initdb.log" 2>&1 || {
  echo "with-postgres: initdb failed:" >&2
  cat "$tk_pg/initdb.log" >&2
  exit 1
}
rm -f "$tk_pg/pwfile"
# TCP only from loopback, password always; TLS or not is the client's choice (sslmode).
cat >"$tk_pg/data/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 scram-sha-256
EOF

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

# Another process may take the port between the choice and the start: try a few.
started=
for _ in 1 2 3 4 5; do
  port="$(free_port)"
  if as_server "$pg_bin/pg_ctl" -D "$tk_pg/data" -l "$tk_pg/run/server.log" -w -t 30 \
    -o "-p $port -k $tk_pg/run -c listen_addresses=127.0.0.1 -c ssl=on \
        -c ssl_cert_file=$tk_pg/tls/server.pem -c ssl_key_file=$tk_pg/tls/server.key \
        -c ssl_ca_file=$tk_pg/tls/ca.pem -c max_connections=200 -c fsync=off" \
    start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "with-postgres: the server did not start:" >&2
  cat "$tk_pg/run/server.log" >&2 || true
  exit 1
fi

export TOKENKEEPER_TEST_POSTGRES="postgres://$user:$password@127.0.0.1:$port/postgres?sslmode=verify-full&sslrootcert=$tk_pg/tls/ca.pem"

# `$TOKENKEEPER_TEST_POSTGRES_CTL stop|start`: the server going away and coming back, for the
# tests of reconnection (each in a test binary of its own: the others share the server).
if [ "$(id -u)" -eq 0 ]; then run_as="runuser -u postgres --"; else run_as=""; fi
cat > "$tk_pg/ctl" <<CTL
#!/usr/bin/env bash
set -euo pipefail
case "\${1:-}" in
  stop) $run_as "$pg_bin/pg_ctl" -D "$tk_pg/data" -m fast -w stop >/dev/null ;;
  start) $run_as "$pg_bin/pg_ctl" -D "$tk_pg/data" -l "$tk_pg/run/server.log" -w -t 30 \\
      -o "-p $port -k $tk_pg/run -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$tk_pg/tls/server.pem -c ssl_key_file=$tk_pg/tls/server.key -c ssl_ca_file=$tk_pg/tls/ca.pem -c max_connections=200 -c fsync=off" \\
      start >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
chmod 755 "$tk_pg/ctl"
export TOKENKEEPER_TEST_POSTGRES_CTL="$tk_pg/ctl"

status=0
"$@" || status=$?
if [ "$status" -ne 0 ] && [ -n "${TK_POSTGRES_LOG:-}" ]; then
  echo "with-postgres: server log:" >&2
  tail -n 50 "$tk_pg/run/server.log" >&2 || true
fi
exit "$status"

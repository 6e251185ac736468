# Sourced by the browser tests' ctest wrappers (run_*_browser_test.sh, run_browser_test.sh):
# browser_setup LABEL NAME [TOOL ...] checks the tools (node, npm, Debian's Chromium and any
# TOOL), installs the pinned npm packages when missing or stale, and makes what every wrapper
# starts from: $work (a fresh folder under $ITA_TEST_TMP with a self-signed certificate
# cert.pem/key.pem for localhost, a server secret and an export signing key), $shots (the
# screenshot folder, build/test-output/browser), $pg and $db (a fresh database NAME in the test
# cluster) and the itad arguments every run shares in the array common.
browser_setup() {
    local label=$1 name=$2 tool here
    shift 2
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    : "${ITA_ITAD:?run through ctest}" "${ITA_ITACTL:?}" "${ITA_TEST_PG_DIR:?}" "${ITA_TEST_TMP:?}" "${ITA_TEST_PORT:?}"
    for tool in node npm /usr/bin/chromium "$@"; do
        command -v "$tool" >/dev/null || { echo "$label: $tool is missing (scripts/test installs nodejs, npm and chromium)" >&2; exit 1; }
    done
    if [ ! -f "$here/node_modules/playwright-core/package.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
        [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ] \
            && export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
        (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
    fi
    mkdir -p "$ITA_TEST_TMP"
    work=$(mktemp -d "$ITA_TEST_TMP/$name-XXXXXX")
    shots=$(cd "$ITA_TEST_TMP/.." && pwd)/test-output/browser
    mkdir -p "$shots"
    pg="host=$ITA_TEST_PG_DIR port=5432 user=ita"
    psql "$pg dbname=postgres" -qX -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" \
        -c "CREATE DATABASE $name" >/dev/null
    db="$pg dbname=$name"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
    head -c 48 /dev/urandom > "$work/secret"
    head -c 32 /dev/urandom > "$work/signing_key"
    common=(--database-url="$db" --secret-file="$work/secret" --port="$ITA_TEST_PORT"
            --migrations-dir="$ITA_SOURCE_DIR/sql" --metrics-listen=  # no metrics listener: tests share no port
            --db-timeout-ms=20000)  # tests run side by side with sanitizer builds: no 503 from a slow moment
}

# browser_create_admin EMAIL [--agency CODE]: an account made by `itad --create-admin`; prints its
# password (after browser_setup; the year's instruments loaded when the test needs them).
browser_create_admin() {
    local pw
    pw=$("$ITA_ITAD" "${common[@]}" --create-admin "$@" 2>>"$work/setup.log" | awk '/^password/ {print $NF}')
    [ -n "$pw" ] || { echo "browser test: --create-admin $1 printed no password" >&2; cat "$work/setup.log" >&2; exit 1; }
    printf '%s' "$pw"
}

# browser_start_itad [ARG ...]: the real itad on $ITA_TEST_PORT with the fresh certificate, in the
# background ($itad_pid, log in $work/itad.log, stopped on exit); returns once /healthz answers.
browser_start_itad() {
    "$ITA_ITAD" "${common[@]}" --tls-cert="$work/cert.pem" --tls-key="$work/key.pem" --workers=2 "$@" \
        2>"$work/itad.log" &
    itad_pid=$!
    trap 'kill -TERM $itad_pid 2>/dev/null; wait $itad_pid 2>/dev/null || true' EXIT
    local _
    for _ in $(seq 1 100); do
        "$ITA_ITACTL" --url "https://localhost:$ITA_TEST_PORT" --cacert "$work/cert.pem" healthz >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "browser test: itad did not answer /healthz on port $ITA_TEST_PORT" >&2
    cat "$work/itad.log" >&2
    exit 1
}

# browser_stop_itad: SIGTERM to the server browser_start_itad started; fails when it does not exit 0.
browser_stop_itad() {
    kill -TERM "$itad_pid"
    wait "$itad_pid"
    trap - EXIT
}

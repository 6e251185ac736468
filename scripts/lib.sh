# Shared shell functions for scripts/run, scripts/test and the ctest PostgreSQL fixture.
# Sourced, not executed. Everything here works on a fresh Debian 12 machine, as root or not.

ITA_PG_BIN=/usr/lib/postgresql/15/bin

# Debian packages: to build and run / to test as well.
ITA_PKGS_RUN="build-essential cmake pkg-config libevent-dev libpq-dev libssl-dev libqrencode-dev
  libjansson-dev libcsv-dev libcmocka-dev libsodium-dev libcurl4-openssl-dev libpng-dev libcairo2-dev libpango1.0-dev libzip-dev zlib1g-dev libsystemd-dev fonts-thai-tlwg fonts-dejavu-core postgresql-15 postgresql-client-15 openssl curl ca-certificates acl"
ITA_PKGS_TEST="$ITA_PKGS_RUN chromium zbar-tools librsvg2-bin poppler-utils python3 python3-aiosmtpd unzip libxml2-utils
  libreoffice-writer-nogui"
# What `scripts/bench net` needs besides the run packages and nginx (ip, chrt, the phone's Python).
ITA_PKGS_BENCH_NET="iproute2 util-linux python3 python3-brotli"
# Tools the browser test needs, by command: a Node.js from elsewhere (with its own npm) is fine.
ITA_CMDS_TEST="node:nodejs npm:npm"

ita_say() { printf '==> %s\n' "$*" >&2; }
ita_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of the given packages is missing (as root), or says what to install.
ita_install_pkgs() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        ita_die "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
    fi
    ita_say "installing ${missing[*]}"
    # Installing postgresql-15 must not create and start a system-wide 'main' cluster: we run our own.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        mkdir -p /etc/postgresql-common
        echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || ita_die "apt-get update failed"
    apt-get install -y -q -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null \
        || ita_die "apt-get install ${missing[*]} failed"
}

# Installs the package named after each "command:package" pair whose command is missing.
ita_install_cmds() {
    local pair pkgs=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || pkgs+=("${pair#*:}")
    done
    [ ${#pkgs[@]} -eq 0 ] || ita_install_pkgs "${pkgs[@]}"
}

# The operating-system user that owns the private PostgreSQL cluster (PostgreSQL refuses root).
ita_service_user() {
    if [ "$(id -u)" -eq 0 ]; then
        id -u ita >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin ita
        echo ita
    else
        id -un
    fi
}

# Runs a command as the service user.
ita_as() {
    local u; u=$(ita_service_user)
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$u" -- "$@"; else "$@"; fi
}

# Makes sure the service user can reach PATH (search permission on every parent directory).
# A checkout under /root is not traversable by others; grant that one user 'x' through an ACL
# rather than opening the directories to everyone.
ita_grant_traverse() {
    local target=$1 u d
    [ "$(id -u)" -eq 0 ] || return 0
    u=$(ita_service_user)
    d=$target
    while [ "$d" != "/" ]; do
        d=$(dirname "$d")
        if ! runuser -u "$u" -- test -x "$d" 2>/dev/null; then
            setfacl -m "u:$u:x" "$d" || ita_die "cannot grant $u search permission on $d"
            ita_say "granted user $u search (x) permission on $d so PostgreSQL can reach $target"
        fi
    done
}

# ita_pg_ensure DIR PORT DBNAME: creates (first time) and starts a cluster whose data, socket and
# log live under DIR; prints the libpq connection string.
ita_pg_ensure() {
    local dir=$1 port=$2 db=$3 u
    u=$(ita_service_user)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown "$u" "$dir"
    chmod 700 "$dir"
    ita_grant_traverse "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        ita_say "creating PostgreSQL 15 cluster in $dir/data"
        ita_as "$ITA_PG_BIN/initdb" -D "$dir/data" -U ita -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; ita_die "initdb failed"; }
        # No TCP at all: the socket lives in a directory only the owner (and root) can enter.
        cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
port = $port
fsync = on
synchronous_commit = on
max_connections = 200
shared_buffers = 256MB
CONF
    fi
    if ! ita_as "$ITA_PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        ita_as "$ITA_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 start >/dev/null \
            || { tail -n 20 "$dir/postgresql.log" >&2; ita_die "PostgreSQL did not start (log: $dir/postgresql.log)"; }
    fi
    if ! ita_as psql -h "$dir" -p "$port" -U ita -d postgres -Atqc \
            "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
        ita_as "$ITA_PG_BIN/createdb" -h "$dir" -p "$port" -U ita "$db" || ita_die "createdb $db failed"
    fi
    echo "host=$dir port=$port dbname=$db user=ita"
}

# ita_pg_wal_archive DIR WALDIR PORT [restart]: WAL archiving for the cluster under DIR (docs/backup.md).
# archive_mode=on and an archive_command that copies each finished WAL segment into WALDIR, never
# over an existing file (`test ! -f`), and only once WALDIR/ENABLED exists (scripts/backup creates
# it with the first base backup): until then segments are recycled as before, so an install that
# takes no backups keeps no WAL. archive_mode needs a restart of PostgreSQL: done when the 4th
# argument is "restart", else it takes effect at the cluster's next start (said once). Returns 1
# (having said why) when archiving could not be set up.
ita_pg_wal_archive() {
    local dir=$1 wal=$2 port=$3 restart=${4:-} cmd cur
    dir=$(cd "$dir" && pwd)
    mkdir -p "$wal"
    wal=$(cd "$wal" && pwd)
    ita_grant_traverse "$wal"
    case $wal in *[!A-Za-z0-9/._+-]*) ita_say "WAL archiving left off: its path $wal may hold only letters, digits and / . _ + -"; return 1 ;; esac
    if [ "$(id -u)" -eq 0 ]; then chown "$(ita_service_user)" "$wal" "$(dirname "$wal")"; fi
    chmod 700 "$wal"
    cmd="test ! -f $wal/%f && { test ! -e $wal/ENABLED || cp %p $wal/%f; }"
    cur=$(ita_as psql -h "$dir" -p "$port" -U ita -d postgres -XAtqc "SHOW archive_command")
    if [ "$cur" != "$cmd" ]; then
        ita_as psql -h "$dir" -p "$port" -U ita -d postgres -Xqc "ALTER SYSTEM SET archive_command = '$cmd'" \
            -c "ALTER SYSTEM SET archive_mode = 'on'" -c "SELECT pg_reload_conf()" >/dev/null \
            || { ita_say "could not switch WAL archiving on"; return 1; }
    fi
    if [ "$(ita_as psql -h "$dir" -p "$port" -U ita -d postgres -XAtqc "SHOW archive_mode")" != on ]; then
        if [ "$restart" = restart ]; then
            ita_as "$ITA_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -m fast -w -t 60 restart >/dev/null \
                || ita_die "PostgreSQL did not restart (log: $dir/postgresql.log)"
        else
            ita_say "WAL archiving (for scripts/backup) starts with PostgreSQL's next start: scripts/run restart"
        fi
    fi
}

ita_pg_stop() {
    local dir=$1
    [ -f "$dir/data/PG_VERSION" ] || return 0
    if ita_as "$ITA_PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        ita_as "$ITA_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
}

# Configures and builds into BUILD_DIR with extra cmake arguments; logs stay in BUILD_DIR.
ita_build() {
    local bdir=$1; shift
    mkdir -p "$bdir"
    cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$bdir/configure.log" 2>&1 \
        || { cat "$bdir/configure.log" >&2; ita_die "cmake configure failed (log: $bdir/configure.log)"; }
    cmake --build "$bdir" -j "$(nproc)" >"$bdir/build.log" 2>&1 \
        || { grep -E 'error|Error' "$bdir/build.log" | head -n 40 >&2; ita_die "build failed (log: $bdir/build.log)"; }
}

# ita_failure_digest BUILD_DIR: for each test that failed in BUILD_DIR's last ctest run, the lines
# of its output that say what failed (FAIL/not ok/assertion/error lines, at most 25 per test), so
# that the end of a long log names the failed checks.
ita_failure_digest() {
    local log=$1/Testing/Temporary/LastTest.log failed=$1/Testing/Temporary/LastTestsFailed.log
    [ -s "$failed" ] && [ -f "$log" ] || return 0
    local name
    while IFS=: read -r _ name; do
        echo "---- $1: $name, what failed:"
        awk -v t="$name" '
            $0 ~ "^[0-9]+/[0-9]+ Testing: " { inside = ($3 == t) }
            inside && /FAIL|[Nn]ot ok|[Aa]ssert|[Ee]rror|ERROR|[Tt]imeout|[Ee]xception|expected|[Ss]egmentation|Sanitizer/ { print "    " $0 }
        ' "$log" | tail -n 25
    done < "$failed"
}

# promtool (for the monitoring test, tests/ops/run_monitoring_test.sh): Debian's prometheus package
# holds it, but installing that package would also install and start a Prometheus server; so the
# package is downloaded and only its promtool unpacked into var/tools. Uses one on PATH if present.
ita_fetch_promtool() {
    local root=$1 tmp
    command -v promtool >/dev/null 2>&1 && return 0
    [ -x "$root/var/tools/promtool" ] && return 0
    ita_say "fetching promtool (Debian's prometheus package, unpacked into var/tools, not installed)"
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1); then
        [ "$(id -u)" -eq 0 ] && apt-get update -q >/dev/null 2>&1
        (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1) \
            || { rm -rf "$tmp"; ita_die "apt-get download prometheus failed (promtool is needed by the monitoring test)"; }
    fi
    dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x" || { rm -rf "$tmp"; ita_die "cannot unpack the prometheus package"; }
    mkdir -p "$root/var/tools"
    install -m 0755 "$tmp/x/usr/bin/promtool" "$root/var/tools/promtool"
    rm -rf "$tmp"
}

# Shared shell functions for scripts/docker-up and scripts/docker-test: find or start a Docker
# engine, find Compose (v2 plugin or Debian's docker-compose v1), make the base image, build the
# ita/* images, generate the deployment's secrets. Sourced, not executed; needs scripts/lib.sh.

ITA_FRESH=/var/tmp/fresh-debian          # the engine set-up ../shared/tools/fresh-debian uses
ITA_DOCKER_CACHE=/var/tmp/ita-docker     # the mmdebstrap tarball of the locally made base image
ITA_LOCAL_BASE=ita/debian:bookworm-slim
ITA_STARTED_DOCKERD_PID=                 # set when ita_docker_engine started dockerd itself

ita_now_ms() { date +%s%3N; }

# ita_docker_engine [start]: makes `docker` reach an engine, in this order: DOCKER_HOST or the
# default socket as they are; the engine of fresh-debian (/var/tmp/fresh-debian); with "start",
# a dockerd started here the same way fresh-debian starts it (its own data-root under /var/tmp).
# Returns 1 (with the reason on stderr) when no engine can be reached or started.
ita_docker_engine() {
    local mode=${1:-}
    if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            ita_say "installing Debian's docker.io"
            DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null ||
                { echo "apt-get install docker.io failed" >&2; return 1; }
        fi
        command -v docker >/dev/null 2>&1 || { echo "no docker client (apt-get install docker.io)" >&2; return 1; }
    fi
    if timeout 20 docker info >/dev/null 2>&1; then return 0; fi
    if [ -S "$ITA_FRESH/d/docker.sock" ]; then
        export DOCKER_HOST=unix://$ITA_FRESH/d/docker.sock
        if timeout 20 docker info >/dev/null 2>&1; then return 0; fi
    fi
    [ "$mode" = start ] || { echo "no Docker engine is reachable" >&2; return 1; }
    if [ "$(id -u)" -ne 0 ]; then
        echo "no Docker engine is reachable and only root can start dockerd here" >&2
        return 1
    fi
    command -v dockerd >/dev/null 2>&1 || { echo "dockerd is not installed" >&2; return 1; }
    mkdir -p "$ITA_FRESH/d"
    if [ ! -s "$ITA_FRESH/daemon.json" ]; then
        cat > "$ITA_FRESH/daemon.json" <<JSON
{ "data-root": "$ITA_FRESH/d/data", "exec-root": "$ITA_FRESH/d/exec", "pidfile": "$ITA_FRESH/d/docker.pid",
  "hosts": ["unix://$ITA_FRESH/d/docker.sock"], "storage-driver": "overlay2",
  "default-ulimits": {"nofile": {"Name":"nofile","Hard":20000,"Soft":20000}} }
JSON
    fi
    export DOCKER_HOST=unix://$ITA_FRESH/d/docker.sock
    ita_say "starting a Docker engine (dockerd, data under $ITA_FRESH/d; log $ITA_FRESH/dockerd.log)"
    nohup dockerd --config-file "$ITA_FRESH/daemon.json" >>"$ITA_FRESH/dockerd.log" 2>&1 &
    ITA_STARTED_DOCKERD_PID=$!
    local i
    for i in $(seq 1 40); do
        timeout 5 docker info >/dev/null 2>&1 && return 0
        kill -0 "$ITA_STARTED_DOCKERD_PID" 2>/dev/null || break
        sleep 1
    done
    echo "dockerd did not start; last lines of $ITA_FRESH/dockerd.log:" >&2
    tail -n 5 "$ITA_FRESH/dockerd.log" >&2
    kill "$ITA_STARTED_DOCKERD_PID" 2>/dev/null
    ITA_STARTED_DOCKERD_PID=
    return 1
}

# Stops the dockerd that ita_docker_engine started (and nothing else).
ita_docker_engine_stop() {
    [ -n "$ITA_STARTED_DOCKERD_PID" ] || return 0
    ita_say "stopping the Docker engine this script started (pid $ITA_STARTED_DOCKERD_PID)"
    kill -TERM "$ITA_STARTED_DOCKERD_PID" 2>/dev/null
    local i
    for i in $(seq 1 30); do kill -0 "$ITA_STARTED_DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    ITA_STARTED_DOCKERD_PID=
}

# Sets ITA_COMPOSE to the Compose command: `docker compose` (v2) or `docker-compose` (v1,
# installed from Debian when missing and we are root).
ita_compose_find() {
    if docker compose version >/dev/null 2>&1; then
        ITA_COMPOSE="docker compose"
    elif command -v docker-compose >/dev/null 2>&1; then
        ITA_COMPOSE=docker-compose
    elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        ita_say "installing Debian's docker-compose"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null 2>&1 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null; } ||
            ita_die "apt-get install docker-compose failed"
        ITA_COMPOSE=docker-compose
    else
        ita_die "neither 'docker compose' nor 'docker-compose' is installed (apt-get install docker-compose)"
    fi
}

# Sets ITA_BASE_IMAGE: $ITA_BASE_IMAGE if given; an existing local ita/debian:bookworm-slim or
# debian:bookworm-slim; otherwise, where mmdebstrap is (or can be) installed, a minimal Debian 12
# image made here from the mirror apt already uses (no registry needed), the way fresh-debian
# does; otherwise debian:bookworm-slim, which docker pulls from its registry.
ita_base_image() {
    if [ -n "${ITA_BASE_IMAGE:-}" ]; then return 0; fi
    if docker image inspect "$ITA_LOCAL_BASE" >/dev/null 2>&1; then ITA_BASE_IMAGE=$ITA_LOCAL_BASE; return 0; fi
    if docker image inspect debian:bookworm-slim >/dev/null 2>&1; then ITA_BASE_IMAGE=debian:bookworm-slim; return 0; fi
    if ! command -v mmdebstrap >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        ita_say "installing mmdebstrap (to make the Debian base image locally)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >/dev/null 2>&1 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >/dev/null; } || true
    fi
    if ! command -v mmdebstrap >/dev/null 2>&1; then ITA_BASE_IMAGE=debian:bookworm-slim; return 0; fi
    local tar=$ITA_DOCKER_CACHE/bookworm-slim.tar mirror
    # A directory at $tar is what an earlier version left (mmdebstrap wrote a directory to a target
    # without a .tar ending): remove it and make the tarball.
    [ -d "$tar" ] && rm -rf "$tar"
    if [ ! -s "$tar" ]; then
        # The mirror apt already uses: its deb822 sources file, or a plain URI as fresh-debian finds it.
        mirror=/etc/apt/sources.list.d/debian.sources
        [ -s "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
        [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
        mkdir -p "$ITA_DOCKER_CACHE"
        ita_say "making a minimal Debian 12 base image with mmdebstrap (once, ~30 s)"
        # Like debian:bookworm-slim: minbase, merged /usr, no documentation, manuals or locales
        # (the dpkg excludes stay in the image, so later installs skip them too), no recommends.
        # --format=tar and a temporary name ending in .tar: mmdebstrap picks its output format from
        # the target's extension, and without one it writes a directory.
        rm -rf "$tar.tmp.tar"
        mmdebstrap --format=tar --variant=minbase --include=usr-is-merged \
            --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
            --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
            --dpkgopt='path-include=/usr/share/doc/*/copyright' \
            --dpkgopt='path-exclude=/usr/share/locale/*' \
            --dpkgopt='path-include=/usr/share/locale/locale.alias' \
            --dpkgopt='path-exclude=/usr/share/info/*' \
            --aptopt='Acquire::Languages "none"' --aptopt='APT::Install-Recommends "false"' \
            bookworm "$tar.tmp.tar" "$mirror" >"$ITA_DOCKER_CACHE/mmdebstrap.log" 2>&1 ||
            { tail -n 5 "$ITA_DOCKER_CACHE/mmdebstrap.log" >&2; rm -rf "$tar.tmp.tar";
              ita_die "mmdebstrap failed (log: $ITA_DOCKER_CACHE/mmdebstrap.log)"; }
        [ -f "$tar.tmp.tar" ] || ita_die "mmdebstrap did not write a tarball at $tar.tmp.tar"
        mv "$tar.tmp.tar" "$tar"
    fi
    docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        "$tar" "$ITA_LOCAL_BASE" >/dev/null || ita_die "docker import of $tar failed"
    ITA_BASE_IMAGE=$ITA_LOCAL_BASE
}

# ita_build_images ROOT: builds ita/itad, ita/postgres and ita/haproxy on $ITA_BASE_IMAGE. The
# build context is a tar stream of exactly the files the Dockerfile copies, so it stays small with
# the classic builder and BuildKit alike (and var/, which holds secrets, never leaves the host).
ita_build_images() {
    local root=$1
    local log=$root/var/docker/build.log
    mkdir -p "$root/var/docker"
    : > "$log"
    ita_say "building ita/itad (base $ITA_BASE_IMAGE; log var/docker/build.log)"
    # ITA_BUILD_SRC: build the sources of another tree (such as an export of a commit) with
    # this tree's docker/ files.
    local src=${ITA_BUILD_SRC:-$root}
    tar -cf - -C "$src" CMakeLists.txt core qr doc server client sql instruments \
        -C "$root" docker/Dockerfile docker/entrypoint.sh docker/itad.conf |
        timeout 1800 docker build -q -f docker/Dockerfile --build-arg "BASE_IMAGE=$ITA_BASE_IMAGE" -t ita/itad:latest - \
        >>"$log" 2>&1 || { tail -n 30 "$log" >&2; ita_die "building ita/itad failed (log: var/docker/build.log)"; }
    ita_say "building ita/postgres"
    timeout 1800 docker build -q --build-arg "BASE_IMAGE=$ITA_BASE_IMAGE" -t ita/postgres:15 "$root/docker/postgres" \
        >>"$log" 2>&1 || { tail -n 30 "$log" >&2; ita_die "building ita/postgres failed (log: var/docker/build.log)"; }
    ita_say "building ita/haproxy"
    timeout 1800 docker build -q --build-arg "BASE_IMAGE=$ITA_BASE_IMAGE" -t ita/haproxy:latest "$root/docker/haproxy" \
        >>"$log" 2>&1 || { tail -n 30 "$log" >&2; ita_die "building ita/haproxy failed (log: var/docker/build.log)"; }
}

# ita_make_secrets DIR: the deployment's secrets, each made once: the server secret (HMAC key,
# 48 random bytes, shared by every itad), a self-signed ECDSA P-256 certificate for localhost and
# the compose service names, and the two database passwords. The directory is private to its
# owner; the files in it are readable so that the containers' unprivileged users can read their
# bind-mounted copies.
ita_make_secrets() {
    local dir=$1
    mkdir -p "$dir"
    chmod 700 "$dir"
    command -v openssl >/dev/null 2>&1 || ita_install_pkgs openssl
    if [ ! -s "$dir/ita_secret" ]; then
        head -c 48 /dev/urandom > "$dir/ita_secret"
    fi
    if [ ! -s "$dir/tls_cert.pem" ] || [ ! -s "$dir/tls_key.pem" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
            -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,DNS:itad,DNS:itad-2,DNS:itad-ro,DNS:haproxy" \
            -keyout "$dir/tls_key.pem" -out "$dir/tls_cert.pem" 2>/dev/null ||
            ita_die "openssl could not create a certificate"
    fi
    local f
    for f in db_password db_replication_password; do
        [ -s "$dir/$f" ] || openssl rand -hex 24 | tr -d '\n' > "$dir/$f"
    done
    chmod 644 "$dir"/ita_secret "$dir"/tls_cert.pem "$dir"/tls_key.pem "$dir"/db_password "$dir"/db_replication_password
}

# ita_wait_healthy TIMEOUT_S CONTAINER...: waits until every container's health check passes.
ita_wait_healthy() {
    local timeout=$1; shift
    local deadline=$(( $(date +%s) + timeout )) c st
    for c in "$@"; do
        while :; do
            st=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$c" 2>/dev/null || echo missing)
            [ "$st" = healthy ] && break
            if [ "$(date +%s)" -ge "$deadline" ]; then
                echo "container $c is '$st' after ${timeout}s; its last log lines:" >&2
                docker logs --tail 20 "$c" >&2 2>&1 || true
                return 1
            fi
            sleep 1
        done
    done
}

#!/usr/bin/env bash
# docker/test/package-test.sh: the Debian package installed the way an IT officer installs it.
# Builds build/ita_<version>_<arch>.deb with scripts/package, then in a clean container of the
# Debian 12 base image the container test uses (docker/lib.sh ita_base_image), with systemd as
# PID 1 (the image adds only systemd to the base):
#   apt-get install ./ita_*.deb postgresql; the role and database ita; one edit of
#   /etc/ita/itad.conf; itad --check-config and --migrate-only as user ita from the installed
#   files; systemctl enable --now itad; /healthz over verified TLS (itactl, the host's snakeoil
#   certificate); systemctl reload itad; the unit's state, user and hardening as systemd reports it.
# When the engine cannot run systemd as PID 1, the same runs in a plain container and itad is
# started from the unit's own ExecStart= as user ita (said in the output).
# Prints "ok"/"not ok" lines and exits non-zero on a failure. Called by scripts/docker-test (which
# has the engine); alone it finds or starts one the same way.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
. scripts/lib.sh
. docker/lib.sh

P_PASSED=0
P_FAILED=0
ok() { P_PASSED=$((P_PASSED + 1)); printf 'ok - package: %s\n' "$*"; }
notok() { P_FAILED=$((P_FAILED + 1)); printf 'not ok - package: %s\n' "$*"; }
C=ita-pkgtest-$$
LOG=$ROOT/var/docker/package-test.log
mkdir -p "$ROOT/var/docker"
: > "$LOG"

cleanup() {
    local rc=$?
    docker rm -f "$C" >/dev/null 2>&1 || true
    [ -n "${STANDALONE:-}" ] && ita_docker_engine_stop
    exit $rc
}
trap cleanup EXIT
if [ -z "${DOCKER_HOST:-}" ] && ! timeout 20 docker info >/dev/null 2>&1; then
    STANDALONE=1
    ita_docker_engine start || { echo "package-test: no Docker engine" >&2; exit 1; }
fi

T0=$(ita_now_ms)
if [ -n "${ITA_PKGTEST_DEB:-}" ]; then # a package built before (while working on this test)
    deb=$ITA_PKGTEST_DEB
    ok "using $deb as given (ITA_PKGTEST_DEB)"
else
    deb=$(scripts/package 2>>"$LOG" | tail -n 1) || { tail -n 30 "$LOG" >&2; notok "scripts/package failed (log var/docker/package-test.log)"; exit 1; }
    ok "scripts/package built $deb, systemd-analyze verify and lintian clean, in $(( ($(ita_now_ms) - T0) / 1000 )) s"
fi

ita_base_image
# The base image plus systemd alone, so that systemd can be PID 1; everything else the test
# installs into the running container as an officer would.
printf 'FROM %s\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd systemd-sysv dbus && apt-get clean && rm -rf /var/lib/apt/lists/*\nSTOPSIGNAL SIGRTMIN+3\nCMD ["/lib/systemd/systemd"]\n' \
    "$ITA_BASE_IMAGE" | timeout 900 docker build -q -t ita/pkgtest-systemd:latest - >>"$LOG" 2>&1 ||
    { tail -n 20 "$LOG" >&2; notok "building the systemd test image failed"; exit 1; }

in_c() { docker exec -i "$C" bash -c "$1"; }

SYSTEMD=
# systemd as PID 1: with the host's cgroup tree writable (what works on a cgroup v1 engine that
# may not grant --privileged, as in a nested sandbox), else --privileged with its own cgroup
# namespace (cgroup v2).
for opts in "--cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw" "--privileged --cgroupns=private"; do
    docker rm -f "$C" >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    docker run -d --name "$C" $opts --tmpfs /run --tmpfs /run/lock ita/pkgtest-systemd:latest >>"$LOG" 2>&1 || continue
    for _ in $(seq 1 30); do
        st=$(docker exec "$C" systemctl is-system-running 2>/dev/null || true)
        case $st in running | degraded) SYSTEMD=1; break 2 ;; esac
        docker exec "$C" true >/dev/null 2>&1 || break
        sleep 1
    done
done
if [ -n "$SYSTEMD" ]; then
    ok "systemd runs as PID 1 in a clean container of $ITA_BASE_IMAGE ($st; docker run $opts)"
else
    echo "package-test: systemd did not come up as PID 1 in this engine ($(docker logs --tail 3 "$C" 2>&1 | tr '\n' ' ')); starting itad from the unit's ExecStart as user ita instead" | tee -a "$LOG"
    docker rm -f "$C" >/dev/null 2>&1 || true
    docker run -d --name "$C" ita/pkgtest-systemd:latest sleep infinity >>"$LOG" 2>&1 ||
        { notok "cannot start a container"; exit 1; }
fi

docker cp "$deb" "$C:/root/" >>"$LOG" 2>&1
T1=$(ita_now_ms)
if in_c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q /root/$(basename "$deb") postgresql" >>"$LOG" 2>&1; then
    ok "apt-get install ./$(basename "$deb") postgresql in $(( ($(ita_now_ms) - T1) / 1000 )) s"
else
    tail -n 20 "$LOG" >&2; notok "apt-get install of the package failed"; exit 1
fi

# What the package made: the user, the state directory and its secrets, the conffile.
facts=$(in_c 'id -un ita; id -Gn ita; stat -c "%U %a" /var/lib/ita /var/lib/ita/secret /var/lib/ita/signing_key; stat -c %s /var/lib/ita/secret /var/lib/ita/signing_key; grep -c "^/etc/ita/itad.conf" /var/lib/dpkg/info/ita.conffiles' 2>&1 | tr '\n' ' ')
if [ "$facts" = "ita ita ssl-cert ita 700 ita 600 ita 600 48 32 1 " ]; then
    ok "user ita (group ssl-cert), /var/lib/ita 0700 with secret (48 bytes) and signing_key (32) 0600 of ita, /etc/ita/itad.conf a conffile"
else
    notok "package state: $facts"
fi

if [ -z "$SYSTEMD" ]; then
    in_c 'pg_ctlcluster 15 main start' >>"$LOG" 2>&1 || { notok "PostgreSQL did not start"; exit 1; }
fi
in_c 'for i in $(seq 1 30); do runuser -u postgres -- psql -Atqc "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
      runuser -u postgres -- createuser ita && runuser -u postgres -- createdb -O ita ita' >>"$LOG" 2>&1 ||
    { tail -n 10 "$LOG" >&2; notok "creating the role and database ita failed"; exit 1; }

# The one file the officer edits. The host's snakeoil certificate, made by ssl-cert, names the
# container's host name.
in_c 'sed -i -e "s|^listen = 127.0.0.1 |listen = 0.0.0.0 |" -e "s|^public_url = |public_url = https://$(hostname):8443|" \
          -e "s|^link_check = true|link_check = false|" /etc/ita/itad.conf
      grep -q "^listen = 0.0.0.0 " /etc/ita/itad.conf && grep -q "^public_url = https://$(hostname):8443" /etc/ita/itad.conf' >>"$LOG" 2>&1 &&
    ok "edited /etc/ita/itad.conf: listen = 0.0.0.0, public_url, link_check = false (no evidence links to fetch here)" ||
    notok "editing /etc/ita/itad.conf failed"

if out=$(in_c 'runuser -u ita -- itad -c /etc/ita/itad.conf --check-config' 2>&1); then
    ok "itad --check-config as user ita: $(printf '%s' "$out" | tail -n 1)"
else
    notok "itad --check-config: $out"
fi
if out=$(in_c 'runuser -u ita -- itad -c /etc/ita/itad.conf --migrate-only 2>&1 && runuser -u ita -- psql -Atqc "SELECT count(*) FROM schema_migrations"' 2>&1); then
    ok "itad --migrate-only as user ita applied /usr/share/ita/sql: $(printf '%s' "$out" | tail -n 1) migrations recorded"
else
    notok "itad --migrate-only: $out"
fi
if out=$(in_c 'runuser -u ita -- itad -c /etc/ita/itad.conf --load-instruments /usr/share/ita/instruments/2570.json' 2>&1); then
    ok "itad --load-instruments /usr/share/ita/instruments/2570.json: $(printf '%s' "$out" | tail -n 1)"
else
    notok "itad --load-instruments: $out"
fi

HEALTH='itactl --cacert /etc/ssl/certs/ssl-cert-snakeoil.pem --url https://$(hostname):8443 healthz'
if [ -n "$SYSTEMD" ]; then
    if out=$(in_c 'systemctl enable --now itad 2>&1 && systemctl is-active itad' 2>&1); then
        ok "systemctl enable --now itad: $(printf '%s' "$out" | tail -n 1) (Type=notify: active only after READY=1)"
    else
        in_c 'journalctl -u itad --no-pager | tail -n 20' >&2 || true
        notok "systemctl enable --now itad: $out"
    fi
    show=$(in_c 'systemctl show itad -p User -p StatusText -p NRestarts -p CapabilityBoundingSet -p ProtectSystem -p NoNewPrivileges | tr "\n" ";"' 2>&1 || true)
    user=$(in_c 'stat -c %U "/proc/$(systemctl show -p MainPID --value itad)"' 2>&1 || true)
    if [ "$user" = ita ] && [[ $show == *"User=ita;"* && $show == *"StatusText=serving on"* &&
        $show == *"CapabilityBoundingSet=;"* && $show == *"NoNewPrivileges=yes"* ]]; then
        ok "systemd: main process runs as $user; $show"
    else
        notok "systemd reports: $show (process user $user)"
    fi
else
    exec_start=$(in_c 'sed -n "s/^ExecStart=//p" /lib/systemd/system/itad.service')
    in_c "runuser -u ita -- $exec_start >/var/log/itad.log 2>&1 &" >>"$LOG" 2>&1
    ok "started the unit's ExecStart ($exec_start) as user ita (no systemd in this engine)"
fi

healthy=
for _ in $(seq 1 30); do
    if out=$(in_c "$HEALTH" 2>&1); then healthy=1; break; fi
    sleep 1
done
if [ -n "$healthy" ]; then
    ok "/healthz over TLS verified against the host's certificate answers: $(printf '%s' "$out" | tr '\n' ' ')"
else
    in_c 'journalctl -u itad --no-pager 2>/dev/null | tail -n 20; tail -n 20 /var/log/itad.log 2>/dev/null' >&2 || true
    notok "/healthz did not answer: $out"
fi

if [ -n "$SYSTEMD" ]; then
    if out=$(in_c "systemctl reload itad && systemctl is-active itad && $HEALTH" 2>&1) &&
        in_c 'journalctl -u itad --no-pager | grep -q "Reloaded"'; then
        ok "systemctl reload itad (SIGHUP, RELOADING=1/READY=1): still active and healthy"
    else
        notok "systemctl reload itad: $out"
    fi
    exposure=$(in_c 'systemd-analyze security --no-pager itad 2>/dev/null | tail -n 1' 2>&1 || true)
    [ -n "$exposure" ] && echo "    systemd-analyze security itad: $exposure"
    if out=$(in_c 'systemctl stop itad && journalctl -u itad --no-pager | grep -c "event=stopped"' 2>&1); then
        ok "systemctl stop itad: drained and stopped"
    else
        notok "systemctl stop itad: $out"
    fi
fi

echo "package-test: $P_PASSED passed, $P_FAILED failed"
[ "$P_FAILED" -eq 0 ]

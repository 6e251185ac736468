#!/usr/bin/env bash
# bench/net_smoke.sh NETSHAPE PORT: the ctest smoke test of `scripts/bench net`'s link (bench_net_smoke).
# A phone namespace behind build/netshape at 200 ms RTT, 800 kbit/s down, 400 kbit/s up; a plain
# HTTP server on this side sends it 30,000 bytes. Checks that the link delays and limits as told
# (the TCP handshake takes a round trip, the transfer is not faster than the ideal slow start of
# bench/netclient.py's floor and not much slower), that the packet log's causal depths count the
# round trips (TCP, the request, one more slow-start round: 3) and that nothing was dropped.
# Needs root and /dev/net/tun: skipped (77) otherwise.
set -euo pipefail
NETSHAPE=$1 PORT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root"; exit 77; }
[ -c /dev/net/tun ] && command -v ip >/dev/null || { echo "skipped: no /dev/net/tun or no ip"; exit 77; }
PY=/usr/bin/python3
NS=itanbs$$ HIF=itanbs$$h PIF=itanbs$$p HOST=10.203.1.1 PHONE=10.203.1.2
D=$(mktemp -d)
SHAPE="" SRV=""
cleanup() {
    set +e
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    [ -n "$SHAPE" ] && kill "$SHAPE" 2>/dev/null && wait "$SHAPE" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

ip netns add "$NS" 2>/dev/null || { echo "skipped: cannot make a network namespace here (a container without CAP_SYS_ADMIN?)"; exit 77; }
"$NETSHAPE" --netns "$NS" --host-if "$HIF" --client-if "$PIF" --rtt-ms 200 --down-kbit 800 --up-kbit 400 \
    --log "$D/shape.log" > "$D/shape.out" 2> "$D/shape.err" &
SHAPE=$!
for _ in $(seq 1 50); do grep -q ready "$D/shape.out" && break; sleep 0.1; done
grep -q ready "$D/shape.out" || fail "netshape did not start: $(cat "$D/shape.err")"
ip addr add "$HOST" peer "$PHONE" dev "$HIF"
ip link set "$HIF" up
ip route replace "$PHONE" dev "$HIF" src "$HOST" congctl cubic
ip netns exec "$NS" sh -e -c "ip link set lo up; ip addr add $PHONE peer $HOST dev $PIF; ip link set $PIF up"
ip tcp_metrics delete "$PHONE" 2>/dev/null || true

mkdir "$D/www"
head -c 30000 /dev/urandom > "$D/www/blob"
(cd "$D/www" && exec "$PY" -m http.server "$PORT" --bind "$HOST") > "$D/srv.log" 2>&1 &
SRV=$!
for _ in $(seq 1 50); do ss -Hltn "sport = :$PORT" | grep -q . && break; sleep 0.1; done
ip netns exec "$NS" curl -sS -o "$D/got" -w '%{time_connect} %{time_total}\n' "http://$HOST:$PORT/blob" > "$D/curl.out"
cmp -s "$D/got" "$D/www/blob" || fail "the bytes did not arrive intact"
kill "$SHAPE"; wait "$SHAPE" || true; SHAPE=""
cat "$D/shape.err"

read -r tc tt < "$D/curl.out"
"$PY" - "$D/shape.log" "$tc" "$tt" "$HERE" <<'PY'
import sys
sys.path.insert(0, sys.argv[4])
import netclient
log, tc, tt = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rows = [l.split() for l in open(log)]
tcp = [r for r in rows if int(r[3]) != 0]
ports = {r[3] for r in tcp}
assert len(ports) == 1, f"one connection expected, saw ports {ports}"
down = sum(int(r[2]) for r in tcp if r[1] == "down")
up_data = sum(int(r[2]) for r in tcp if r[1] == "up" and int(r[2]) > 52)
# the response ends with the last full-size or partial data packet before the closing exchange
data = [r for r in tcp if r[1] == "down" and int(r[2]) > 52]
depth = max(int(r[4]) for r in data)
print(f"connect {tc * 1000:.0f} ms, total {tt * 1000:.0f} ms, down {down} B, depth {depth}")
assert 0.200 <= tc < 0.600, f"the TCP handshake took {tc * 1000:.0f} ms on a 200 ms link"
assert depth == 6, f"round trips: depth {depth}, expected 6 (TCP, request, a second slow-start round)"
floor = netclient.floor_time(down, up_data, 0.2, 800e3, 400e3) - 0.2  # no TLS round trip here
assert tt >= floor * 0.97, f"{tt * 1000:.0f} ms is faster than the link allows ({floor * 1000:.0f} ms)"
# Upper bounds stay loose: this checks the emulator's model, not speed, on a machine that may be
# running the rest of the suite beside it.
assert tt <= floor * 2.0, f"{tt * 1000:.0f} ms is far above the floor ({floor * 1000:.0f} ms)"
print(f"floor {floor * 1000:.0f} ms, ratio {tt / floor:.2f}")
PY
grep -q ' 0 drops; down .* 0 drops' "$D/shape.err" || fail "the link dropped packets"
echo "ok"

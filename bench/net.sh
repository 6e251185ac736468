# bench/net.sh: `scripts/bench net [slow|4g|all]`, a citizen's network (sourced by scripts/bench
# after the demonstration links exist; uses its variables and helpers).
#
# Per profile: a network namespace (the phone) joined to this one (the servers) by build/netshape,
# a user-space link emulator with a rate per direction and half the round trip as delay on each way
# (bench/netshape.c; used instead of `tc netem` on a veth pair because kernels such as this
# project's build machines may lack sch_netem and tbf). Its own itad and its own nginx listen on the
# server end of the link (NET_ADDR_HOST); nginx serves the same form and thank-you bytes itad sent
# (captured once, unshaped), with gzip, the same certificate and TLS session tickets. The phone is
# bench/netclient.py: respondents one after another, itad and nginx interleaved. The table goes to
# the terminal and to bench/results/<date>-net.md.
#
# Profiles (RTT ms, down kbit/s, up kbit/s, respondents):
#   slow: 400, 400, 200, 20 — a weak rural 3G/EDGE-like link
#   4g:   60, 20000, 5000, 50 — good 4G
# ITA_NET_RESPONDENTS overrides the respondent count of every profile; ITA_NET_CC the servers' TCP
# congestion control towards the phone (default cubic, Debian's default; "host" keeps this host's).

NET_NS=itanb NET_IF_HOST=itanb0 NET_IF_PHONE=itanb1
NET_ADDR_HOST=10.203.0.1 NET_ADDR_PHONE=10.203.0.2
NET_CC=${ITA_NET_CC:-cubic}
NET_ITAD_PORT=${ITA_BENCH_NET_PORT:-18943}
NET_NGINX_PORT=${ITA_BENCH_NET_NGINX_PORT:-18944}
NET_SHAPE_PID="" NET_ITAD_PID="" NET_ITAD_WRAPPER="" NET_NGINX_MASTER="" NET_ACTIVE=0

net_profile_params() { # NAME → "rtt_ms down_kbit up_kbit respondents"
    case "$1" in
        slow) echo "400 400 200 ${ITA_NET_RESPONDENTS:-20}" ;;
        4g) echo "60 20000 5000 ${ITA_NET_RESPONDENTS:-50}" ;;
        *) ita_die "unknown network profile '$1' (slow, 4g or all)" ;;
    esac
}

net_stop_pid() { # PID SIGNAL: signals one process we started and waits up to 15 s for it
    local pid=$1 sig=$2
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

# Stops what one profile started: nginx, itad, the link emulator (its log is written as it exits)
# and the namespace. Also the EXIT trap's hook.
net_cleanup() {
    net_stop_pid "$NET_NGINX_MASTER" QUIT
    NET_NGINX_MASTER=""
    net_stop_pid "${NET_ITAD_PID:-$NET_ITAD_WRAPPER}" TERM
    NET_ITAD_PID="" NET_ITAD_WRAPPER=""
    net_stop_pid "$NET_SHAPE_PID" TERM
    NET_SHAPE_PID=""
    ip netns del "$NET_NS" 2>/dev/null || true
    NET_ACTIVE=0
}

net_link_up() { # RTT DOWN UP
    local nb=$B/net
    ip netns del "$NET_NS" 2>/dev/null || true
    ip netns add "$NET_NS" || ita_die "cannot create the network namespace $NET_NS"
    NET_ACTIVE=1
    rm -f "$nb/shape.log" "$nb/shape.out"
    # Real-time priority so that a busy machine does not add its scheduling delays to the link.
    local rt=()
    command -v chrt >/dev/null && rt=(chrt -f 10)
    "${rt[@]}" "$ROOT/build/netshape" --netns "$NET_NS" --host-if "$NET_IF_HOST" --client-if "$NET_IF_PHONE" \
        --rtt-ms "$1" --down-kbit "$2" --up-kbit "$3" --log "$nb/shape.log" > "$nb/shape.out" 2>>"$nb/shape.err" &
    NET_SHAPE_PID=$!
    for _ in $(seq 1 50); do grep -q ready "$nb/shape.out" 2>/dev/null && break; sleep 0.1; done
    grep -q ready "$nb/shape.out" || { cat "$nb/shape.err" >&2; ita_die "the link emulator did not start"; }
    ip addr add "$NET_ADDR_HOST" peer "$NET_ADDR_PHONE" dev "$NET_IF_HOST"
    ip link set "$NET_IF_HOST" mtu 1500 up
    ip netns exec "$NET_NS" sh -e -c "ip link set lo up
        ip addr add $NET_ADDR_PHONE peer $NET_ADDR_HOST dev $NET_IF_PHONE
        ip link set $NET_IF_PHONE mtu 1500 up
        ip route add default dev $NET_IF_PHONE" || ita_die "cannot configure the phone's namespace"
    # The servers' side of the link uses a stock Debian server's congestion control (cubic, no
    # pacing) whatever this host's default is; ITA_NET_CC chooses another ("host": the default).
    if [ "$NET_CC" != host ]; then
        ip route replace "$NET_ADDR_PHONE" dev "$NET_IF_HOST" src "$NET_ADDR_HOST" congctl "$NET_CC" \
            || ita_die "cannot set congestion control $NET_CC on the route to the phone"
    fi
    # Nothing this host learned about the address earlier (cwnd, RTT) may shape a new phone's connection.
    ip tcp_metrics delete "$NET_ADDR_PHONE" 2>/dev/null || true
}

net_start_itad() {
    : > "$B/net/itad.log"
    if [ "$(id -u)" -eq 0 ]; then chown "$U" "$B/net/itad.log"; fi
    rm -f "$B/net/itad.pid"
    as_svc env DATABASE_URL="$URL_WEB" ITAD_TLS_CERT="$B/tls/cert.pem" ITAD_TLS_KEY="$B/tls/key.pem" \
        ITAD_SECRET_FILE="$B/secret" ITAD_LISTEN="$NET_ADDR_HOST" ITAD_PORT="$NET_ITAD_PORT" \
        ITAD_PID_FILE="$B/net/itad.pid" ITAD_METRICS_LISTEN= \
        ITAD_RATE_IP_PER_MIN=1000000 ITAD_RATE_IP_BURST=1000000 \
        ITAD_RATE_LINK_PER_MIN=10000000 ITAD_RATE_LINK_BURST=10000000 \
        "$ITAD" >>"$B/net/itad.log" 2>&1 < /dev/null &
    NET_ITAD_WRAPPER=$!   # runuser, which passes SIGTERM on: stopped if itad never wrote its pid
    for _ in $(seq 1 100); do [ -s "$B/net/itad.pid" ] && break; sleep 0.1; done
    NET_ITAD_PID=$(cat "$B/net/itad.pid" 2>/dev/null || true)
    [ -n "$NET_ITAD_PID" ] || { tail -n 20 "$B/net/itad.log" >&2; ita_die "the network benchmark's itad did not start"; }
    for _ in $(seq 1 100); do
        curl -sf --cacert "$CACERT" --resolve "localhost:$NET_ITAD_PORT:$NET_ADDR_HOST" \
            "https://localhost:$NET_ITAD_PORT/healthz" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    tail -n 20 "$B/net/itad.log" >&2
    ita_die "the network benchmark's itad did not become healthy"
}

# nginx with the bytes itad served (form and thank-you page, captured by one unshaped respondent,
# and with them the policy headers itad sent: Content-Security-Policy, Strict-Transport-Security,
# Cache-Control and the rest, so that the head of each response is as long as itad's), gzip at
# level 6 (text/html is gzip's default type), the same certificate and TLS versions and
# ciphers, session tickets, keep-alive as long as itad's idle timeout. The POST: nginx's static
# handler answers a POST with 405 after reading and discarding the body; error_page turns that into
# a 200 with the thank-you page (an internal redirect as GET).
net_start_nginx() {
    local nb=$B/net path=$1 form_headers thanks_headers
    mkdir -p "$nb/www" "$nb/nginx-tmp"
    form_headers=$(net_add_headers "$nb/www/form.headers")
    thanks_headers=$(net_add_headers "$nb/www/thanks.headers")
    cat > "$nb/nginx.conf" <<CONF
# Written by scripts/bench net: the reference on the phone's link, not the system nginx.
worker_processes 1;
pid $nb/nginx.pid;
error_log $nb/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $nb/nginx-access.log combined;
    client_body_temp_path $nb/nginx-tmp/body;
    proxy_temp_path $nb/nginx-tmp/proxy;
    fastcgi_temp_path $nb/nginx-tmp/fastcgi;
    uwsgi_temp_path $nb/nginx-tmp/uwsgi;
    scgi_temp_path $nb/nginx-tmp/scgi;
    keepalive_timeout 60s;
    gzip on;
    gzip_comp_level 6;
    gzip_vary on;
    server {
        listen $NET_ADDR_HOST:$NET_NGINX_PORT ssl;
        ssl_certificate $B/tls/cert.pem;
        ssl_certificate_key $B/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL;
        ssl_prefer_server_ciphers on;
        ssl_session_tickets on;
        ssl_session_cache shared:NETBENCH:1m;
        ssl_session_timeout 10m;
        location = $path {
            default_type text/html;   # gzip_types compares the type without the charset
            charset utf-8;
            alias $nb/www/form.html;
            error_page 405 =200 /thanks.html;
$form_headers
        }
        location = /thanks.html {
            internal;
            default_type text/html;
            charset utf-8;
            alias $nb/www/thanks.html;
$thanks_headers
        }
    }
}
CONF
    if [ "$(id -u)" -eq 0 ]; then chown -R "$U" "$nb/www" "$nb/nginx-tmp" "$nb/nginx.conf"; fi
    rm -f "$nb/nginx.pid" "$nb/nginx-access.log"
    as_svc nginx -p "$nb" -e "$nb/nginx-error.log" -c "$nb/nginx.conf" 2>>"$LOG" \
        || { tail -n 5 "$nb/nginx-error.log" >&2; ita_die "nginx did not start (log: var/bench/net/nginx-error.log)"; }
    for _ in $(seq 1 50); do [ -s "$nb/nginx.pid" ] && break; sleep 0.1; done
    NET_NGINX_MASTER=$(cat "$nb/nginx.pid" 2>/dev/null || true)
    [ -n "$NET_NGINX_MASTER" ] || ita_die "nginx wrote no pid file"
}

# net_add_headers FILE: nginx add_header lines for the "name: value" lines of FILE (from
# netclient.py --capture). A value nginx would read as a variable or could not quote is refused.
net_add_headers() {
    local name value
    [ -f "$1" ] || ita_die "the captured headers are missing ($1)"
    while IFS= read -r line; do
        name=${line%%:*}
        value=${line#*: }
        case "$value" in *'$'*|*'"'*|*'\'*) ita_die "a captured header nginx cannot repeat: $line" ;; esac
        printf '            add_header %s "%s";\n' "$name" "$value"
    done < "$1"
}

# net_profile NAME: one profile's run; its rows go to $B/net/table-NAME.md.
net_profile() {
    local name=$1 rtt down up n nb=$B/net path
    read -r rtt down up n <<< "$(net_profile_params "$name")"
    path=$(cat "$B/links-eit.txt")
    ita_say "network profile $name: RTT $rtt ms, $down kbit/s down, $up kbit/s up; $n respondents against itad and nginx"
    net_link_up "$rtt" "$down" "$up"
    net_start_itad
    mkdir -p "$nb/www"
    /usr/bin/python3 "$ROOT/bench/netclient.py" run --servers "itad=$NET_ADDR_HOST:$NET_ITAD_PORT" \
        --path "$path" --cacert "$CACERT" --capture "$nb/www" 2>>"$LOG" \
        || ita_die "one unshaped respondent against itad failed (log: var/bench/bench.log)"
    net_start_nginx "$path"
    rm -f "$nb/client-$name.jsonl"
    ip netns exec "$NET_NS" /usr/bin/python3 "$ROOT/bench/netclient.py" run \
        --servers "itad=$NET_ADDR_HOST:$NET_ITAD_PORT,nginx=$NET_ADDR_HOST:$NET_NGINX_PORT" \
        --path "$path" --cacert "$CACERT" --respondents "$n" --log "$nb/client-$name.jsonl" 2>>"$LOG" \
        || { tail -n 5 "$LOG" >&2; ita_die "the phone's respondents failed (log: var/bench/bench.log)"; }
    net_cleanup   # the emulator writes its packet log as it stops
    cp "$nb/shape.log" "$nb/shape-$name.log"
    grep '^netshape:' "$nb/shape.err" | tail -n 1 | sed "s/^/$name: /" >> "$nb/link-summary.txt"
    /usr/bin/python3 "$ROOT/bench/netclient.py" report --client-log "$nb/client-$name.jsonl" \
        --shape-log "$nb/shape-$name.log" --profile "$name" --rtt-ms "$rtt" --down-kbit "$down" \
        --up-kbit "$up" --floor-server itad > "$nb/table-$name.md" \
        || ita_die "the report of profile $name failed"
}

net_main() {
    local profiles=$1 p nb=$B/net
    case "$profiles" in all) profiles="slow 4g" ;; esac
    for p in $profiles; do net_profile_params "$p" > /dev/null; done
    if [ "$(id -u)" -ne 0 ]; then
        ita_say "scripts/bench net needs root (a network namespace and TUN devices); skipped"
        return 0
    fi
    [ -c /dev/net/tun ] || { ita_say "no /dev/net/tun on this machine; scripts/bench net skipped"; return 0; }
    mkdir -p "$nb"
    chown "$U" "$nb"   # itad and nginx run as the service user and write their pid files here
    : > "$nb/link-summary.txt"
    : > "$nb/shape.err"
    ita_grant_traverse "$B/x"
    for p in $profiles; do net_profile "$p"; done
    local out
    out=$ROOT/bench/results/$(date +%F)-net.md
    [ -e "$out" ] && out=$ROOT/bench/results/$(date +%F-%H%M)-net.md
    {
        echo "# A citizen's network $STAMP"
        echo
        echo "Code: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$(git status --porcelain -- server core sql 2>/dev/null)" ] && echo ' with uncommitted changes in server/, core/ or sql/')."
        echo "Host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; the servers' TCP congestion control towards the phone: $( [ "$NET_CC" = host ] && cat /proc/sys/net/ipv4/tcp_congestion_control || echo "$NET_CC (per route)")."
        echo "Link: build/netshape (user-space emulator between two TUN devices, MTU 1500; rate per direction, half the RTT of delay each way; real-time priority)."
        echo "Per respondent, one after another, itad and nginx interleaved: a new TCP + full TLS handshake, GET the EIT form of the"
        echo "demo agency's public link (Accept-Encoding: gzip, deflate, br); answering outlasts both servers' 60 s keep-alive, so the"
        echo "client closes that connection; a new TCP connection offering the first one's TLS session ticket, POST every field with"
        echo "the form's token, read the thank-you page. Times from connect() to the last body byte. Bytes: IP packets both ways on the"
        echo "link, headers, handshakes, ACKs and closing packets included (per connection, median). Round trips: the causal depth of the"
        echo "last server packet before the last byte, halved (median). Ratios: median time / itad's floor. Server time: from the"
        echo "request's last packet reaching the server to the server's first packet after it (median; itad's thank-you page"
        echo "waits for the answers' commit, nginx discards the POST). nginx serves the pages and the policy headers itad sent"
        echo "($(cut -d: -f1 "$nb/www/form.headers" | paste -sd, | sed 's/,/, /g')), so both heads are as long."
        echo
        local first=1
        for p in $profiles; do
            if [ $first = 1 ]; then sed -n '1,2p' "$nb/table-$p.md"; first=0; fi
            sed -n '3,/^$/p' "$nb/table-$p.md" | sed '/^$/d'
        done
        echo
        for p in $profiles; do sed -n '/^[a-z0-9]*: the floor/p' "$nb/table-$p.md"; done
        echo
        echo "Floor: TCP's and TLS 1.3's handshakes (a round trip each), the client's bytes at the uplink rate and half a"
        echo "round trip, then the server's bytes as 1500-byte packets under an ideal slow start (initial window 10, one more per"
        echo "ACK) at the downlink rate, each delivered half a round trip later (floor_time in bench/netclient.py): round trips"
        echo "× RTT + bytes / bandwidth, less where sending a window overlaps the wait for its ACKs (the slow profile)."
        echo
        echo "Link counters: $(sed 's/netshape: //' "$nb/link-summary.txt" | paste -sd '|' | sed 's/|/; /g')."
        echo "Raw: var/bench/net/client-<profile>.jsonl (the phone's times), var/bench/net/shape-<profile>.log (every packet)."
    } > "$out"
    echo
    cat "$out"
    ita_say "written to ${out#$ROOT/}"
}

# bench/national.sh: the national view's step of scripts/bench (sourced; uses its variables and
# helpers). On the 5 M-response database (ita_bench, fiscal year 2566 from bench/datagen.sql) it
# gives the benchmark agencies a type, a parent, a year's set-up (windows around today: closed,
# open with 1-30 days left, open for months, not open yet; populations) and a published result for
# a third of them, starts its own itad on that database, signs a system administrator in and times
# GET /admin/national: the first page, a search, "below minimum with 14 days left", a sort by score
# and the CSV of every agency, each NATIONAL_RUNS times (median and p95 of the wall time curl
# reports, the TLS handshake included).

national_setup_data() {
    ita_as psql -X -q -v ON_ERROR_STOP=1 "$URL_DATA" >>"$LOG" 2>&1 <<'SQL'
WITH b AS (SELECT id, substr(code, 6)::int AS g FROM agency WHERE code LIKE 'BENCH%')
UPDATE agency a SET kind = (ARRAY['เทศบาลตำบล', 'องค์การบริหารส่วนตำบล', 'เทศบาลเมือง', 'จังหวัด',
                                  'ส่วนราชการระดับกรมหรือเทียบเท่า'])[b.g % 5 + 1],
    parent_id = CASE WHEN b.g > 76 THEN (SELECT p.id FROM agency p
                     WHERE p.code = 'BENCH' || lpad((b.g % 76 + 1)::text, 5, '0')) END
FROM b WHERE a.id = b.id;
INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, staff_population, eit_population)
SELECT id, 2566,
       CASE g % 4 WHEN 3 THEN current_date + 20 ELSE current_date - 40 END::timestamp AT TIME ZONE 'Asia/Bangkok',
       CASE g % 4 WHEN 0 THEN current_date - 2 WHEN 1 THEN current_date + g % 30 + 1
            ELSE current_date + 90 END::timestamp AT TIME ZONE 'Asia/Bangkok',
       20 + g % 200, 100 + g % 3000
FROM (SELECT id, substr(code, 6)::int AS g FROM agency WHERE code LIKE 'BENCH%') b
WHERE g % 10 <> 0
ON CONFLICT (agency_id, fiscal_year) DO UPDATE SET opens_at = excluded.opens_at,
    closes_at = excluded.closes_at, staff_population = excluded.staff_population,
    eit_population = excluded.eit_population;
INSERT INTO agency_result (agency_id, fiscal_year, total, rating, source)
SELECT id, 2566, t, CASE WHEN t >= 95 THEN 'AA' WHEN t >= 90 THEN 'A' WHEN t >= 85 THEN 'B'
                         WHEN t >= 80 THEN 'C' WHEN t >= 75 THEN 'D' WHEN t >= 50 THEN 'E' ELSE 'F' END,
       'imported'
FROM (SELECT id, round((40 + random() * 60)::numeric, 2) AS t, substr(code, 6)::int AS g
      FROM agency WHERE code LIKE 'BENCH%') x
WHERE g % 3 = 0
ON CONFLICT (agency_id, fiscal_year) DO NOTHING;
ANALYZE agency; ANALYZE agency_year; ANALYZE agency_result;
SQL
}

# national_step: records national_<case>_ms samples (RES) and prints one line per case.
national_step() {
    local port=${ITA_BENCH_NATIONAL_PORT:-8446} runs=${NATIONAL_RUNS:-9} pid f pw cookie
    ss -Hltn "sport = :$port" | grep -q . && ita_die "port $port is taken (ITA_BENCH_NATIONAL_PORT chooses another)"
    ita_say "national view: setting up fiscal year 2566 for the benchmark agencies"
    national_setup_data
    local email
    email="national-bench-$(date +%s)@example.go.th" # one per run: its password is printed once
    pw=$("$ITAD" --database-url="$URL_DATA" --create-admin "$email" 2>>"$LOG" | awk '/^password/ {print $NF}')
    [ -n "$pw" ] || ita_die "could not create the national view's administrator (log: var/bench/bench.log)"
    : > "$B/itad-national.log"
    if [ "$(id -u)" -eq 0 ]; then chown "$U" "$B/itad-national.log"; fi
    as_svc env DATABASE_URL="$URL_DATA" ITAD_TLS_CERT="$B/tls/cert.pem" ITAD_TLS_KEY="$B/tls/key.pem" \
        ITAD_SECRET_FILE="$B/secret" ITAD_PORT="$port" ITAD_PID_FILE="$B/itad-national.pid" \
        ITAD_METRICS_LISTEN= "$ITAD" >>"$B/itad-national.log" 2>&1 < /dev/null &
    pid=""
    for _ in $(seq 1 100); do [ -s "$B/itad-national.pid" ] && break; sleep 0.1; done
    pid=$(cat "$B/itad-national.pid" 2>/dev/null || true)
    [ -n "$pid" ] || { tail -n 20 "$B/itad-national.log" >&2; ita_die "the national view's itad did not start"; }
    NATIONAL_PID=$pid
    local base="https://localhost:$port" ok=0
    for _ in $(seq 1 100); do
        curl -sf --cacert "$CACERT" "$base/healthz" >/dev/null 2>&1 && { ok=1; break; }
        sleep 0.2
    done
    [ $ok = 1 ] || { tail -n 20 "$B/itad-national.log" >&2; ita_die "the national view's itad did not become healthy"; }
    f=$(curl -sf --cacert "$CACERT" "$base/admin/login" | sed -n 's/.*name="f" value="\([^"]*\)".*/\1/p' | head -n 1)
    cookie=$(curl -s --cacert "$CACERT" -o /dev/null -D - -H "Origin: $base" \
        --data-urlencode "f=$f" --data-urlencode "email=$email" \
        --data-urlencode "password=$pw" "$base/admin/login" \
        | sed -n 's/^[Ss]et-[Cc]ookie: ita_admin=\([^;]*\).*/\1/p' | tr -d '\r')
    [ -n "$cookie" ] || ita_die "the national view's administrator could not sign in"
    local cases="first:fy=2566 search:fy=2566&q=BENCH0421 low14:fy=2566&state=low14&sort=days sort_score:fy=2566&sort=score&dir=desc csv_all:fy=2566&format=csv"
    local c name qs st t
    for c in $cases; do
        name=${c%%:*} qs=${c#*:}
        st=$(curl -s --cacert "$CACERT" -o "$B/national-$name.out" -w '%{http_code}' \
             -H "Cookie: ita_admin=$cookie" "$base/admin/national?$qs")
        [ "$st" = 200 ] || ita_die "GET /admin/national?$qs answered $st"
        for _ in $(seq 1 "$runs"); do
            t=$(curl -s --cacert "$CACERT" -o /dev/null -w '%{time_total}' \
                -H "Cookie: ita_admin=$cookie" "$base/admin/national?$qs")
            sample "national_${name}_ms" "$(awk -v t="$t" 'BEGIN { printf "%.1f", t * 1000 }')"
        done
    done
    NATIONAL_AGENCIES=$(ita_as psql -X -Atq "$URL_DATA" -c "SELECT count(*) FROM agency")
    NATIONAL_CSV_BYTES=$(stat -c %s "$B/national-csv_all.out")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    NATIONAL_PID=""
}

# p95 NAME → the 95th percentile of its samples (nearest rank)
p95() {
    awk -v k="$1" '$1 == k { v[n++] = $2 } END {
        if (n == 0) { print "-"; exit }
        for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        r = int(0.95 * n + 0.999999); if (r < 1) r = 1; print v[r - 1] }' "$RES"
}

# national_rows: the table rows of the national view's figures.
national_rows() {
    local c
    for c in "first:first page (50 of every agency, code order)" "search:search by code (q=BENCH0421)" \
             "low14:below minimum with ≤ 14 days left, by days" "sort_score:sorted by score, best first" \
             "csv_all:CSV of every agency ($NATIONAL_CSV_BYTES bytes)"; do
        row "GET /admin/national: ${c#*:}, $NATIONAL_AGENCIES agencies, ms" \
            "median $(fmt "$(med "national_${c%%:*}_ms")"), p95 $(fmt "$(p95 "national_${c%%:*}_ms")")" "–" "–" "< 1000 ms" \
            "$(verdict "national_${c%%:*}_ms" '' 'x < 1000')"
    done
}

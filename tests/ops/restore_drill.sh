#!/usr/bin/env bash
# The restore drill (issue #19, docs/backup.md), as ctest runs it: a throwaway PostgreSQL cluster
# with WAL archiving as scripts/run sets it up, the real itad, responses from the real load
# generator; scripts/backup takes a base backup while load goes on, more load, agency BKA's window
# closes and its answers are sealed, a signed export is saved, `scripts/backup point` names the
# moment; then more load, agency BKB is sealed too (the digest moves on), the cluster is destroyed
# with the keys, scripts/restore brings it back to the named point, and itad on the restored
# cluster must show exactly the responses stored at the point (each agency and instrument, and
# at least every acknowledged one), the same response-set digest, a form and /healthz, and the
# old export must verify with the restored signing key. Without WAL archiving recovery cannot
# reach the point and every response after the base backup would be missing: the drill fails.
set -euo pipefail
: "${ITA_ITAD:?run through ctest}" "${ITA_ITACTL:?}" "${ITA_LOADGEN:?}" "${ITA_SOURCE_DIR:?}" "${ITA_TEST_PORT:?}"
. "$ITA_SOURCE_DIR/scripts/lib.sh"
SRC=$ITA_SOURCE_DIR
PORT=$ITA_TEST_PORT
step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%T)"; }
fail() { printf 'restore drill FAILED: %s\n' "$*" >&2; exit 1; }

# Under /tmp (outside the checkout): the unprivileged cluster owner must reach it.
work=$(mktemp -d /tmp/ita-drill-XXXXXX)
chmod 711 "$work"
pgdir=$work/pg restored=$work/pg-restored dest=$work/backup keys=$work/keys
mkdir -p "$keys"
itad_pid=""
stop_itad() {
    if [ -n "$itad_pid" ]; then
        kill -TERM "$itad_pid" 2>/dev/null || true
        wait "$itad_pid" 2>/dev/null || true
        itad_pid=""
    fi
}
cleanup() {
    local rc=$?
    set +e
    stop_itad
    ita_pg_stop "$pgdir" 2>/dev/null
    ita_pg_stop "$restored" 2>/dev/null
    if [ $rc -ne 0 ]; then
        for f in "$work"/itad*.log "$pgdir/postgresql.log" "$restored/postgresql.log"; do
            [ -f "$f" ] && { echo "---- $f (last 30 lines but access lines)"; grep -v 'event=access' "$f" | tail -n 30; } >&2
        done
    fi
    rm -rf "$work"
    exit $rc
}
trap cleanup EXIT

# ---- the cluster, as scripts/run makes it, with WAL archiving ----
step "cluster with WAL archiving into $dest/wal"
url=$(ita_pg_ensure "$pgdir" 5432 ita)
ita_pg_wal_archive "$pgdir" "$dest/wal" 5432 restart || fail "WAL archiving could not be set up"
psqlc() { ita_as psql -X -Atq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
head -c 48 /dev/urandom > "$keys/secret"
head -c 32 /dev/urandom > "$keys/signing_key"
chmod 600 "$keys/secret" "$keys/signing_key"

y=$(date -u +%Y) m=$(date -u +%-m)
FY=$((y + 543 + (m >= 10 ? 1 : 0)))
ifile=$SRC/instruments/$FY.json
[ -f "$ifile" ] || { ifile=$(ls "$SRC"/instruments/2*.json | tail -n 1); FY=$(basename "$ifile" .json); }
common=(--database-url="$url" --secret-file="$keys/secret" --signing-key-file="$keys/signing_key"
        --migrations-dir="$SRC/sql" --port="$PORT" --metrics-listen= --db-timeout-ms=20000)
"$ITA_ITAD" "${common[@]}" --load-instruments "$ifile" > "$work/setup.log" 2>&1 || { cat "$work/setup.log"; fail "loading $ifile"; }

# Two agencies with public EIT and IIT links open now, made as `itad --demo` makes its one.
for code in BKA BKB; do
    psqlc "$url" "INSERT INTO agency (code, name_th) VALUES ('$code', 'หน่วยงานซ้อมกู้คืน $code')" >/dev/null
    for ins in EIT IIT; do
        psqlc "$url" "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at)
            SELECT id, $FY, '$ins', translate(rtrim(encode(substr(sha256(gen_random_uuid()::text::bytea), 1, 16), 'base64'), '='), '+/', '-_'),
                   now() - interval '1 day', now() + interval '30 days' FROM agency WHERE code = '$code'" >/dev/null
    done
    psqlc "$url" "INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, staff_population)
        SELECT id, $FY, now() - interval '1 day', now() + interval '30 days', 40 FROM agency WHERE code = '$code'" >/dev/null
done
link() { psqlc "$url" "SELECT '/s/' || l.slug FROM survey_link l JOIN agency a ON a.id = l.agency_id WHERE a.code = '$1' AND l.instrument = '$2'"; }
"$ITA_ITAD" "${common[@]}" --create-admin ops@example.go.th >> "$work/setup.log" 2>&1 || fail "--create-admin"
(umask 077; "$ITA_ITAD" "${common[@]}" --create-api-token ops@example.go.th --token-name drill > "$work/token" 2>>"$work/setup.log") \
    || fail "--create-api-token"

start_itad() { # DATABASE_URL LOG
    "$ITA_ITAD" "${common[@]/--database-url=*/--database-url=$1}" --tls-cert="$work/cert.pem" --tls-key="$work/key.pem" \
        --workers=2 --rate-ip-per-min=1000000 --rate-ip-burst=1000000 --rate-link-per-min=10000000 \
        --rate-link-burst=10000000 2>"$2" &
    itad_pid=$!
    for _ in $(seq 1 150); do
        "$ITA_ITACTL" --url "https://localhost:$PORT" --cacert "$work/cert.pem" healthz >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    fail "itad did not answer /healthz (log: $2)"
}
ctl() { ITACTL_URL=https://localhost:$PORT ITACTL_CACERT=$work/cert.pem ITACTL_TOKEN_FILE=$work/token "$ITA_ITACTL" "$@"; }

step "itad on port $PORT, fiscal year $FY"
start_itad "$url" "$work/itad.log"

# ---- load: the real load generator, one link at a time; what it acknowledged (2xx) is counted ----
declare -A acked=([BKA:EIT]=0 [BKA:IIT]=0 [BKB:EIT]=0 [BKB:IIT]=0)
load() { # CODE INSTRUMENT SECONDS
    link "$1" "$2" > "$work/links-$1-$2.txt"
    local out n
    out=$("$ITA_LOADGEN" --url "https://localhost:$PORT" --cacert "$work/cert.pem" --mode submit \
        --links "$work/links-$1-$2.txt" --connections 4 --threads 1 --duration "$3" --warmup 0 2>&1) \
        || { echo "$out"; fail "loadgen on $1 $2"; }
    n=$(echo "$out" | awk '$1 == "submissions" { print $2 }')
    [ "${n:-0}" -gt 0 ] || { echo "$out"; fail "no submission acknowledged on $1 $2"; }
    acked[$1:$2]=$((acked[$1:$2] + n))
    echo "$1 $2: $n acknowledged"
}
load_all() { for c in BKA BKB; do for i in EIT IIT; do load "$c" "$i" "$1"; done; done; }
# stored responses of each agency and instrument, wherever they are on their way (README, Anonymity)
counts() { # URL → "BKA:EIT n" lines
    psqlc "$1" "SELECT a.code || ':' || r.instrument, count(*) FROM (
        SELECT agency_id, instrument::text FROM response_inbox UNION ALL
        SELECT agency_id, instrument::text FROM response_pending UNION ALL
        SELECT agency_id, instrument::text FROM response) r JOIN agency a ON a.id = r.agency_id
        GROUP BY 1 ORDER BY 1" | tr '|' ' '
}
settle() { # waits until the inbox is empty and the counts stop moving (no submission in flight)
    local a b=""
    for _ in $(seq 1 100); do
        a=$(counts "$url")
        if [ "$a" = "$b" ] && [ "$(psqlc "$url" "SELECT count(*) FROM response_inbox")" = 0 ]; then return 0; fi
        b=$a
        sleep 0.3
    done
    fail "responses kept arriving"
}
seal() { # CODE: closes the agency's window a minute ago and waits for the rollup to seal its groups
    psqlc "$url" "UPDATE survey_link SET closes_at = now() - interval '1 minute' WHERE agency_id = (SELECT id FROM agency WHERE code = '$1');
                  UPDATE agency_year SET closes_at = now() - interval '1 minute' WHERE agency_id = (SELECT id FROM agency WHERE code = '$1')" >/dev/null
    for _ in $(seq 1 100); do
        [ "$(psqlc "$url" "SELECT count(*) FILTER (WHERE sealed) FROM response_tally t JOIN agency a ON a.id = t.agency_id WHERE a.code = '$1'")" = 2 ] && return 0
        sleep 0.2
    done
    fail "the groups of $1 were not sealed"
}
digest_of() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["payload"]["response_set"]["digest"])' "$1"; }

step "load before the base backup"
load_all 1

step "scripts/backup while load goes on"
"$SRC/scripts/backup" --cluster "$pgdir" --dest "$dest" --secret-file "$keys/secret" --signing-key-file "$keys/signing_key" \
    > "$work/backup.out" 2> "$work/backup.err" &
bpid=$!
load BKA EIT 2
load BKB IIT 2
wait $bpid || { cat "$work/backup.err"; fail "scripts/backup"; }
backup=$(tail -n 1 "$work/backup.out")
cat "$backup/MANIFEST"
[ -s "$backup/keys/secret" ] && [ -s "$backup/keys/signing_key" ] || fail "the backup holds no keys"

step "more load after the backup; BKA's window closes and its answers are sealed"
load_all 1
settle
seal BKA
settle
declare -A at_point
while read -r k n; do at_point[$k]=$n; done < <(counts "$url")
for k in "${!acked[@]}"; do
    [ "${at_point[$k]:-0}" -ge "${acked[$k]}" ] || fail "$k: ${at_point[$k]:-0} stored < ${acked[$k]} acknowledged before the restore point"
done
ctl export --fy "$FY" -o "$work/export.csv" > /dev/null || fail "itactl export"
DIGEST=$(digest_of "$work/export.csv.manifest.json")
PUBKEY=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["signature"]["public_key"])' "$work/export.csv.manifest.json")
[ -n "$DIGEST" ] || fail "no digest in the export's manifest"
ctl verify "$work/export.csv" "$work/export.csv.manifest.json" > /dev/null || fail "the export does not verify before the restore"
"$SRC/scripts/backup" point drill-1 --cluster "$pgdir" || fail "scripts/backup point"
declare -A acked_point
for k in "${!acked[@]}"; do acked_point[$k]=${acked[$k]}; done

step "more load after the point; BKB's window closes too"
load BKB EIT 1
load BKB IIT 1
settle
seal BKB
ctl export --fy "$FY" -o "$work/export-later.csv" > /dev/null || fail "itactl export (later)"
[ "$(digest_of "$work/export-later.csv.manifest.json")" != "$DIGEST" ] \
    || fail "the digest did not move after the point: the drill would not tell a right restore from a wrong one"
"$SRC/scripts/backup" switch --cluster "$pgdir" # what a cron job does: the later WAL is archived too

step "losing the machine: itad stopped, the cluster and the keys deleted"
stop_itad
ita_pg_stop "$pgdir"
rm -rf "$pgdir" "$keys"
if [ "${ITA_DRILL_BREAK:-}" = no-archive ]; then
    # By hand only: as if WAL had not been archived since the base backup. The drill must fail.
    find "$dest/wal" -name '0000000*' ! -name '*.history' -newer "$backup/MANIFEST" -delete
fi

step "scripts/restore to the point drill-1"
t0=$(date +%s.%N)
"$SRC/scripts/restore" "$backup" --into "$restored" --name drill-1 --secret-file "$keys/secret" \
    --signing-key-file "$keys/signing_key" --no-start > "$work/restore.out" || fail "scripts/restore"
echo "restored in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
[ -s "$keys/secret" ] && [ -s "$keys/signing_key" ] || fail "the keys were not put back"
rurl="$(tail -n 1 "$work/restore.out") dbname=ita"

step "itad on the restored cluster"
url=$rurl
start_itad "$rurl" "$work/itad-restored.log"
ctl healthz | grep -q 'database: ok' || fail "/healthz of the restored server"
code=$(curl -s -o "$work/form.html" -w '%{http_code}' --cacert "$work/cert.pem" "https://localhost:$PORT$(link BKB EIT)")
[ "$code" = 200 ] && grep -q '<form' "$work/form.html" || fail "the restored server serves no form (HTTP $code)"
settle
declare -A after
while read -r k n; do after[$k]=$n; done < <(counts "$rurl")
for k in "${!acked[@]}"; do
    echo "$k: acknowledged before the point ${acked_point[$k]}, stored at the point ${at_point[$k]}, restored ${after[$k]:-0}"
    [ "${after[$k]:-0}" -ge "${acked_point[$k]}" ] || fail "$k: an acknowledged response is missing"
done
for k in "${!at_point[@]}"; do
    [ "${after[$k]:-0}" = "${at_point[$k]}" ] || fail "$k: ${after[$k]:-0} responses restored, ${at_point[$k]} were stored at the point"
done
[ "$(psqlc "$rurl" "SELECT count(*) FILTER (WHERE sealed) FROM response_tally")" = 2 ] \
    || fail "the restored tallies are not those of the point (BKA sealed, BKB open)"
ctl export --fy "$FY" -o "$work/export-restored.csv" > /dev/null || fail "itactl export on the restored server"
[ "$(digest_of "$work/export-restored.csv.manifest.json")" = "$DIGEST" ] || fail "the response-set digest differs from the one at the point"
cmp -s "$work/export.csv" "$work/export-restored.csv" || fail "the restored export's figures differ from the ones at the point"
ctl verify "$work/export.csv" "$work/export.csv.manifest.json" | tee "$work/verify.out" || fail "the old export does not verify with the restored key"
"$ITA_ITACTL" verify "$work/export.csv" "$work/export.csv.manifest.json" --key "$PUBKEY" > /dev/null \
    || fail "the old export does not verify with the recorded public key"
echo
echo "restore drill passed: digest $DIGEST, $(for k in $(echo "${!after[@]}" | tr ' ' '\n' | sort); do printf '%s=%s ' "$k" "${after[$k]}"; done)"

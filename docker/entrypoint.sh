#!/bin/sh
# Entry point of the ita/itad image. Reads the database password from a mounted secret into
# PGPASSWORD (libpq's own variable) so it never appears in the container's environment or in
# DATABASE_URL, then runs the command. `migrate` applies the schema migrations and loads every
# instrument version shipped in /usr/share/ita/instruments, then exits (a one-shot job).
set -eu
if [ -n "${ITA_PGPASSWORD_FILE:-}" ]; then
    PGPASSWORD=$(cat "$ITA_PGPASSWORD_FILE")
    export PGPASSWORD
fi
case "${1:-itad}" in
migrate)
    itad --migrate-only
    for f in /usr/share/ita/instruments/*.json; do
        itad --load-instruments "$f"
    done
    ;;
*)
    exec "$@"
    ;;
esac

#!/usr/bin/env bash
# ctest fixture: a throwaway PostgreSQL 15 cluster for the test suite.
#   pg_fixture.sh setup DIR     wipe DIR, create a cluster there, start it (socket in DIR)
#   pg_fixture.sh start DIR     start it again (used by tests that stop the database mid-run)
#   pg_fixture.sh stop DIR      stop it (fast shutdown)
#   pg_fixture.sh teardown DIR  stop it and delete DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cmd=${1:?usage: pg_fixture.sh setup|start|stop|teardown DIR}
dir=${2:?usage: pg_fixture.sh setup|start|stop|teardown DIR}
case $cmd in
    setup)
        ita_pg_stop "$dir" 2>/dev/null || true
        rm -rf "$dir"
        ita_pg_ensure "$dir" 5432 ita_test >/dev/null
        echo "PostgreSQL test cluster ready in $dir"
        ;;
    start) ita_pg_ensure "$dir" 5432 ita_test >/dev/null ;;
    stop) ita_pg_stop "$dir" ;;
    teardown)
        ita_pg_stop "$dir" || true
        rm -rf "$dir"
        ;;
    *) echo "pg_fixture.sh: unknown command $cmd" >&2; exit 2 ;;
esac

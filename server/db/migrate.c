/* Migration runner (see migrate.h). File names must match NNNN_[a-z0-9_]+.sql; the number is the
 * version. An applied file that later changes is an error, never silently re-run. */
#include "migrate.h"
#include "digest.h"
#include "pg_conn.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATION_LOCK_KEY "7319417001" /* arbitrary constant shared by every itad */

struct mfile {
    int version;
    char *name; /* file name */
};

static bool valid_name(const char *n, int *version)
{
    size_t len = strlen(n);
    if (len < 10 || strcmp(n + len - 4, ".sql") != 0 || n[4] != '_')
        return false;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)n[i]))
            return false;
    for (size_t i = 5; i < len - 4; i++)
        if (!(islower((unsigned char)n[i]) || isdigit((unsigned char)n[i]) || n[i] == '_'))
            return false;
    *version = (n[0] - '0') * 1000 + (n[1] - '0') * 100 + (n[2] - '0') * 10 + (n[3] - '0');
    return true;
}

static int cmp_mfile(const void *a, const void *b)
{
    return ((const struct mfile *)a)->version - ((const struct mfile *)b)->version;
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r < 4096)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "cannot read %s", path);
        return NULL;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        free(buf);
        snprintf(err, errlen, "%s contains a NUL byte", path);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Runs a statement without parameters; true on success, else fills err. */
static bool exec_ok(PGconn *pg, const char *sql, const char *what, char *err, size_t errlen)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        snprintf(err, errlen, "%s: %s", what, PQresultErrorMessage(r));
    PQclear(r);
    return ok;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* 1 applied, 0 already there, -1 error. */
static int apply_one(PGconn *pg, const char *dir, const struct mfile *m, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, m->name);
    size_t len;
    char *sql = read_file(path, &len, err, errlen);
    if (!sql)
        return -1;
    char sum[65];
    sha256_hex(sql, len, sum);
    char ver[16];
    snprintf(ver, sizeof ver, "%d", m->version);

    int rc = -1;
    const char *p1[1] = {ver};
    PGresult *r =
        PQexecParams(pg, "SELECT name, checksum FROM schema_migrations WHERE version = $1", 1, NULL,
                     p1, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "reading schema_migrations: %s", PQresultErrorMessage(r));
        goto out;
    }
    if (PQntuples(r) == 1) {
        if (strcmp(PQgetvalue(r, 0, 1), sum) != 0) {
            snprintf(
                err, errlen,
                "migration %s was changed after it was applied (as %s); applied migrations are "
                "never edited: restore the file and add a new numbered migration instead",
                m->name, PQgetvalue(r, 0, 0));
            goto out;
        }
        rc = 0;
        goto out;
    }
    PQclear(r);
    r = NULL;
    if (!exec_ok(pg, "BEGIN", m->name, err, errlen))
        goto out;
    r = PQexec(pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "migration %s failed: %s", m->name, PQresultErrorMessage(r));
        chomp(err);
        PQclear(r);
        r = NULL;
        char ignored[64];
        exec_ok(pg, "ROLLBACK", "rollback", ignored, sizeof ignored);
        goto out;
    }
    PQclear(r);
    const char *p3[3] = {ver, m->name, sum};
    r = PQexecParams(pg,
                     "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     3, NULL, p3, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        snprintf(err, errlen, "recording migration %s: %s", m->name, PQresultErrorMessage(r));
        char ignored[64];
        exec_ok(pg, "ROLLBACK", "rollback", ignored, sizeof ignored);
        goto out;
    }
    if (!exec_ok(pg, "COMMIT", m->name, err, errlen))
        goto out;
    rc = 1;
out:
    if (r)
        PQclear(r);
    free(sql);
    return rc;
}

int migrate_apply(const char *conninfo, const char *dir, int *applied, char *err, size_t errlen)
{
    *applied = 0;
    struct mfile *files = NULL;
    size_t nfiles = 0, cap = 0;
    int rc = -1;
    PGconn *pg = NULL;

    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "migrations_dir %s: %s", dir, strerror(errno));
        return -1;
    }
    for (;;) {
        struct dirent *de = readdir(d);
        if (!de)
            break;
        if (de->d_name[0] == '.')
            continue;
        size_t l = strlen(de->d_name);
        if (l < 4 || strcmp(de->d_name + l - 4, ".sql") != 0)
            continue;
        int v;
        if (!valid_name(de->d_name, &v)) {
            snprintf(err, errlen,
                     "migrations_dir %s: file %s is not named NNNN_name.sql (four digits, "
                     "underscore, lower-case letters, digits or underscores)",
                     dir, de->d_name);
            goto out;
        }
        if (nfiles == cap) {
            cap = cap ? cap * 2 : 16;
            files = xreallocarray(files, cap, sizeof *files);
        }
        files[nfiles].version = v;
        files[nfiles].name = xstrdup(de->d_name);
        nfiles++;
    }
    qsort(files, nfiles, sizeof *files, cmp_mfile);
    for (size_t i = 1; i < nfiles; i++) {
        if (files[i].version == files[i - 1].version) {
            snprintf(err, errlen, "migrations %s and %s share version %04d", files[i - 1].name,
                     files[i].name, files[i].version);
            goto out;
        }
    }

    pg = PQconnectdb(conninfo);
    if (PQstatus(pg) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to the database: %s", PQerrorMessage(pg));
        chomp(err);
        goto out;
    }
    pg_conn_log_notices(pg);
    PQclear(PQexec(pg, "SET client_min_messages = warning"));
    if (!exec_ok(pg, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", "taking the migration lock",
                 err, errlen))
        goto out;
    if (!exec_ok(pg,
                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version integer PRIMARY KEY,"
                 " name text NOT NULL,"
                 " checksum text NOT NULL,"
                 " applied_at timestamptz NOT NULL DEFAULT now())",
                 "creating schema_migrations", err, errlen))
        goto out;
    for (size_t i = 0; i < nfiles; i++) {
        int r = apply_one(pg, dir, &files[i], err, errlen);
        if (r < 0)
            goto out;
        *applied += r;
    }
    rc = 0;
out:
    if (pg) {
        if (PQstatus(pg) == CONNECTION_OK)
            PQclear(PQexec(pg, "SELECT pg_advisory_unlock_all()"));
        PQfinish(pg);
    }
    closedir(d);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i].name);
    free(files);
    return rc;
}

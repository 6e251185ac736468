/* Migrations against a real PostgreSQL: applied once and in order, a second run is a no-op, a
 * broken file rolls back completely and is named in the error with PostgreSQL's message, and an
 * applied file that changed is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/migrate.h"
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_sql_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (;;) {
        struct dirent *e = readdir(d);
        if (!e)
            break;
        size_t l = strlen(e->d_name);
        n += l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0;
    }
    closedir(d);
    return n;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_project_migrations_idempotent(void **state)
{
    const char *db = t_db_create("ita_migrate_a");
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s", db);
    const char *dir = t_env("ITA_SQL_DIR");
    int applied = -1;
    char err[1024];
    if (migrate_apply(conninfo, dir, &applied, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(applied, count_sql_files(dir));
    assert_true(applied >= 1);
    char nfiles[16];
    snprintf(nfiles, sizeof nfiles, "%d", count_sql_files(dir));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM schema_migrations"), nfiles);
    /* versions are recorded in order with a SHA-256 checksum each */
    assert_string_equal(
        t_db_value(conninfo, "SELECT bool_and(length(checksum) = 64) FROM schema_migrations"), "t");
    char before[64];
    snprintf(before, sizeof before, "%s",
             t_db_value(conninfo, "SELECT count(*) FROM schema_migrations"));
    /* second run: nothing to do, nothing changes */
    assert_int_equal(migrate_apply(conninfo, dir, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM schema_migrations"), before);
}

static void test_broken_migration_rolls_back(void **state)
{
    const char *db = t_db_create("ita_migrate_b");
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s", db);
    const char *dir = t_tmpdir("migrations");
    write_file(dir, "0001_good.sql", "CREATE TABLE good (id int);\n");
    write_file(dir, "0002_broken.sql",
               "CREATE TABLE half_done (id int);\nINSERT INTO good VALUES (1);\n"
               "SELECT * FROM no_such_table;\n");
    write_file(dir, "0003_after.sql", "CREATE TABLE after_broken (id int);\n");
    int applied = -1;
    char err[1024];
    assert_int_equal(migrate_apply(conninfo, dir, &applied, err, sizeof err), -1);
    assert_int_equal(applied, 1);
    assert_non_null(strstr(err, "0002_broken.sql"));
    assert_non_null(strstr(err, "relation \"no_such_table\" does not exist"));
    /* nothing of 0002 (or after it) is left behind */
    assert_string_equal(t_db_value(conninfo, "SELECT to_regclass('half_done') IS NULL"), "t");
    assert_string_equal(t_db_value(conninfo, "SELECT to_regclass('after_broken') IS NULL"), "t");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM good"), "0");
    assert_string_equal(t_db_value(conninfo, "SELECT string_agg(name, ',') FROM schema_migrations"),
                        "0001_good.sql");
    /* fix the file and run again: the rest applies */
    write_file(dir, "0002_broken.sql", "CREATE TABLE half_done (id int);\n");
    assert_int_equal(migrate_apply(conninfo, dir, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 2);
    /* an applied file that changes is refused */
    write_file(dir, "0001_good.sql", "CREATE TABLE good (id bigint);\n");
    assert_int_equal(migrate_apply(conninfo, dir, &applied, err, sizeof err), -1);
    assert_non_null(strstr(err, "0001_good.sql was changed after it was applied"));
}

static void test_bad_names_and_dirs(void **state)
{
    const char *db = t_db_create("ita_migrate_c");
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s", db);
    int applied;
    char err[1024];
    assert_int_equal(migrate_apply(conninfo, "/nonexistent-dir", &applied, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir"));
    const char *dir = t_tmpdir("badnames");
    write_file(dir, "1_init.sql", "SELECT 1;\n");
    assert_int_equal(migrate_apply(conninfo, dir, &applied, err, sizeof err), -1);
    assert_non_null(strstr(err, "1_init.sql is not named NNNN_name.sql"));
    const char *dir2 = t_tmpdir("dupes");
    write_file(dir2, "0001_a.sql", "SELECT 1;\n");
    write_file(dir2, "0001_b.sql", "SELECT 1;\n");
    assert_int_equal(migrate_apply(conninfo, dir2, &applied, err, sizeof err), -1);
    assert_non_null(strstr(err, "share version 0001"));
    /* unreachable database */
    assert_int_equal(migrate_apply("host=/nonexistent port=1 dbname=x", t_env("ITA_SQL_DIR"),
                                   &applied, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "cannot connect to the database"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_project_migrations_idempotent),
        cmocka_unit_test(test_broken_migration_rolls_back),
        cmocka_unit_test(test_bad_names_and_dirs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

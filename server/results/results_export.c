/* Aggregate and per-question exports with their signed manifests (/admin/export,
 * /admin/export-manifest, /admin/export-key). Every export is written to audit_log, with its
 * manifest, before the file is sent: no log row, no file. The data steps are in results_steps.c;
 * the file, its hash and its manifest are made on the CPU pool. */
#include "results_handlers.h"
#include "results_job.h"
#include "results_manifest.h"
#include "results_sql.h"
#include "db/db_row.h"
#include "digest.h"
#include "log.h"
#include "server.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Keeps letters, digits, '.', '-' and '_' of a file name; anything else becomes '_'. */
void results_safe_filename(char *name)
{
    for (char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            *p = '_';
}

void results_export_run(struct rjob *j, const struct ita_version *v)
{
    uint64_t rows;
    char digest[65];
    if (results_response_digest(j->ag, j->n_ag, &rows, digest) != 0) {
        snprintf(j->err, sizeof j->err, "malformed response digest");
        j->rc = -1;
        return;
    }
    /* the responses the figures come from: the digest covers the same (sealed, at least k) */
    for (size_t i = 0; i < j->n_ag; i++)
        for (int k = 0; k < ITA_N_SURVEYS; k++)
            if (j->ag[i].shown[k])
                j->responses[k] += j->ag[i].responses[k];
    if (rows != j->responses[ITA_IIT] + j->responses[ITA_EIT]) {
        /* one snapshot serves both, so this is a broken invariant of the SQL, not a race */
        snprintf(j->err, sizeof j->err, "response count %llu differs from the digest's %llu",
                 (unsigned long long)(j->responses[0] + j->responses[1]), (unsigned long long)rows);
        j->rc = -1;
        return;
    }
    if (j->questions && j->json)
        results_write_questions_json(&j->body, v, &j->ag[0]);
    else if (j->questions)
        results_write_questions_csv(&j->body, v, &j->ag[0], j->thai);
    else if (j->json)
        results_write_aggregates_json(&j->body, v, j->ag, j->n_ag, j->k_min);
    else
        results_write_aggregates_csv(&j->body, v, j->ag, j->n_ag, j->k_min, j->thai);
    snprintf(j->filename, sizeof j->filename, "ita-%d-%s-%s.%s", v->fiscal_year, j->scope,
             j->questions ? "questions" : "aggregates", j->json ? "json" : "csv");
    results_safe_filename(j->filename);
    sha256_hex(j->body.data, j->body.len, j->file_sha);
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct results_manifest_in mi = {
        .kind = j->questions ? "questions" : "aggregates",
        .format = j->json ? "json" : "csv",
        .filename = j->filename,
        .file = j->body.data,
        .file_len = j->body.len,
        .v = v,
        .revision = j->revision,
        .version_sha256 = j->vsha,
        .scope = j->scope,
        .agencies = j->n_ag,
        .responses = {j->responses[0], j->responses[1]},
        .digest_rows = rows,
        .digest = digest,
        .k_min = j->k_min,
        .generated_by = j->email,
        .generated_at = when,
    };
    j->manifest = results_manifest_make(&mi);
    if (!j->manifest) {
        snprintf(j->err, sizeof j->err, "no signing key");
        j->rc = -1;
    }
}

static void send_file(struct http_request *req, struct rreq *rq, const char *audit_id)
{
    struct rjob *j = rq->job;
    log_info("event=export w=%d user=%d audit=%s kind=%s scope=%s bytes=%zu", req->worker->id,
             rq->u->id, audit_id, j->questions ? "questions" : "aggregates", j->scope, j->body.len);
    char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", j->filename);
    http_add_header(req, "Content-Disposition", disp);
    http_add_header(req, "X-ITA-Export-Id", audit_id);
    http_add_header(req, "X-ITA-File-SHA256", j->file_sha);
    http_respond(req, 200, j->json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
                 j->body.data, j->body.len);
}

void results_send_export(struct http_request *req, struct rreq *rq, const char *audit_id)
{
    if (audit_id) {
        send_file(req, rq, audit_id);
        return;
    }
    struct rjob *j = rq->job;
    char bytes[24], n[24];
    snprintf(bytes, sizeof bytes, "%zu", j->body.len);
    snprintf(n, sizeof n, "%zu", j->n_ag);
    const char *p[RES_AUDIT_NPARAMS];
    p[RES_AUDIT_P_USER] = rq->uid;
    p[RES_AUDIT_P_ACTION] = j->questions ? "export_questions" : "export_aggregates";
    p[RES_AUDIT_P_AGENCY] = rq->agency > 0 ? rq->agency_s : NULL;
    p[RES_AUDIT_P_YEAR] = rq->year_s;
    p[RES_AUDIT_P_FORMAT] = j->json ? "json" : "csv";
    p[RES_AUDIT_P_SCOPE] = j->scope;
    p[RES_AUDIT_P_FILE_SHA256] = j->file_sha;
    p[RES_AUDIT_P_BYTES] = bytes;
    p[RES_AUDIT_P_AGENCIES] = n;
    p[RES_AUDIT_P_MANIFEST] = j->manifest;
    p[RES_AUDIT_P_FILE_NAME] = j->filename;
    results_exec(req, rq, ST_AUDIT, &sql_res_audit, p);
}

void admin_export(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = results_rreq_new(req, u, RV_EXPORT);
    if (!results_read_target(req, rq, true))
        return;
    const char *format = admin_query_str(req, "format");
    const char *kind = admin_query_str(req, "kind");
    const char *keys = admin_query_str(req, "keys");
    bool json = format && strcmp(format, "json") == 0;
    bool questions = kind && strcmp(kind, "questions") == 0;
    /* CSV column names: Thai for people, the English keys with ?keys=en (itactl asks for them,
     * and programs signed in with a token get them unless they ask for ?keys=th) */
    rq->thai = keys ? strcmp(keys, "th") == 0 : !u->api;
    if ((keys && strcmp(keys, "th") != 0 && strcmp(keys, "en") != 0) ||
        (format && !json && strcmp(format, "csv") != 0) ||
        (kind && !questions && strcmp(kind, "aggregates") != 0) || (questions && rq->agency <= 0)) {
        results_fail(req, u, 400,
                     "ที่อยู่ไม่ถูกต้อง: ใช้ ?year=ปีงบประมาณ[&agency=รหัส][&format=csv|json]"
                     "[&kind=aggregates|questions (หน่วยงานเดียว)][&keys=th|en (ชื่อคอลัมน์ CSV)]");
        return;
    }
    results_start(req, rq, RV_EXPORT, json, questions);
}

/* ---- manifests and the public key ---- */

static void manifest_done(struct http_request *req, const struct db_result *r)
{
    struct rreq *rq = req->handler_state;
    if (http_db_failed(req, r))
        return;
    if (PQntuples(r->res) != 1 || db_null(r->res, 0, RES_MANIFEST_MANIFEST)) {
        results_fail(req, rq->u, 404, "ไม่พบการส่งออกนี้");
        return;
    }
    char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s.manifest.json\"",
             db_text(r->res, 0, RES_MANIFEST_FILE_NAME));
    http_add_header(req, "Content-Disposition", disp);
    http_respond(req, 200, "application/json; charset=utf-8",
                 db_text(r->res, 0, RES_MANIFEST_MANIFEST),
                 (size_t)db_len(r->res, 0, RES_MANIFEST_MANIFEST));
}

void admin_export_manifest(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = results_rreq_new(req, u, RV_EXPORT);
    long id = admin_query_int(req, "id");
    if (id <= 0) {
        results_fail(req, u, 400, "ที่อยู่ไม่ถูกต้อง: ใช้ ?id=รหัสการส่งออก (X-ITA-Export-Id ของไฟล์)");
        return;
    }
    char ids[24];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[RES_MANIFEST_NPARAMS];
    p[RES_MANIFEST_P_ID] = ids;
    p[RES_MANIFEST_P_SYSTEM] = rq->sys;
    p[RES_MANIFEST_P_OWN] = rq->own;
    http_db(req, &sql_res_manifest, p, NULL, manifest_done);
}

void admin_export_key(struct http_request *req, const struct admin_user *u)
{
    (void)u;
    char body[128];
    int n = snprintf(body, sizeof body, "%s\n", results_public_key_hex());
    http_respond(req, 200, "text/plain; charset=utf-8", body, (size_t)n);
}

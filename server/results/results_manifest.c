/* The signing key and the signed export manifest (see results_manifest.h). Signing runs on the
 * CPU pool with the handler's other export work; the key is read-only after start-up. */
#include "results_manifest.h"
#include "digest.h"
#include "scoring.h"
#include "xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char sign_sk[crypto_sign_SECRETKEYBYTES];
static unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
static char pk_hex[RESULTS_KEY_HEX];
static bool have_key;

int results_key_init(const char *key_file, const struct secret *secret, char *err, size_t errlen)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not start");
        return -1;
    }
    if (key_file && key_file[0]) {
        FILE *f = fopen(key_file, "rb");
        if (!f) {
            snprintf(err, errlen, "signing_key_file %s: %s", key_file, strerror(errno));
            return -1;
        }
        size_t n = fread(seed, 1, sizeof seed, f);
        bool more = fgetc(f) != EOF;
        fclose(f);
        if (n != sizeof seed || more) {
            snprintf(err, errlen,
                     "signing_key_file %s must hold exactly %zu random bytes; create "
                     "one with: head -c 32 /dev/urandom > FILE",
                     key_file, sizeof seed);
            return -1;
        }
    } else {
        secret_hmac(secret, "export-signing-key", "", 0, seed);
    }
    crypto_sign_seed_keypair(sign_pk, sign_sk, seed);
    sodium_memzero(seed, sizeof seed);
    secret_hex(sign_pk, sizeof sign_pk, pk_hex);
    have_key = true;
    return 0;
}

const char *results_public_key_hex(void)
{
    return pk_hex;
}

static json_t *point_maps(const struct ita_version *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < v->n_point_maps; i++) {
        const struct ita_point_map *m = &v->point_maps[i];
        json_t *a = json_array();
        for (int l = 0; l < m->levels; l++) {
            char b[48];
            if (m->points[l].den == 1)
                snprintf(b, sizeof b, "%lld", (long long)m->points[l].num);
            else
                snprintf(b, sizeof b, "%lld/%lld", (long long)m->points[l].num,
                         (long long)m->points[l].den);
            json_array_append_new(a, json_string(b));
        }
        json_object_set_new(o, m->name, a);
    }
    return o;
}

char *results_manifest_make(const struct results_manifest_in *in)
{
    if (!have_key)
        return NULL;
    char sha[65];
    sha256_hex(in->file, in->file_len, sha);
    json_t *p = json_object();
    json_object_set_new(p, "kind", json_string(in->kind));
    json_object_set_new(p, "file_format", json_string(in->format));
    json_object_set_new(p, "file_name", json_string(in->filename));
    json_object_set_new(p, "file_sha256", json_string(sha));
    json_object_set_new(p, "file_bytes", json_integer((json_int_t)in->file_len));
    json_object_set_new(p, "fiscal_year", json_integer(in->v->fiscal_year));
    json_object_set_new(p, "instrument_version",
                        json_pack("{s:i, s:i, s:s}", "fiscal_year", in->v->fiscal_year, "revision",
                                  in->revision, "sha256", in->version_sha256));
    json_object_set_new(p, "point_maps", point_maps(in->v));
    json_object_set_new(p, "weights",
                        json_pack("{s:i, s:i, s:i}", "IIT", in->v->rules.weight[ITA_IIT], "EIT",
                                  in->v->rules.weight[ITA_EIT], "OIT",
                                  in->v->rules.weight[ITA_OIT]));
    json_t *levels = json_array();
    for (size_t i = 0; i < in->v->rules.n_levels; i++) {
        const struct ita_rating_level *lv = &in->v->rules.levels[i];
        json_t *l = json_pack("{s:s, s:f, s:b}", "name_th", lv->name_th, "total_min",
                              ita_rational_value(lv->total_min), "pass", lv->pass);
        if (lv->has_tool_min)
            json_object_set_new(l, "tool_min",
                                json_pack("{s:f, s:f, s:f}", "IIT",
                                          ita_rational_value(lv->tool_min[ITA_IIT]), "EIT",
                                          ita_rational_value(lv->tool_min[ITA_EIT]), "OIT",
                                          ita_rational_value(lv->tool_min[ITA_OIT])));
        json_array_append_new(levels, l);
    }
    json_object_set_new(p, "rating", levels);
    json_object_set_new(p, "scope", json_string(in->scope));
    json_object_set_new(p, "agencies", json_integer((json_int_t)in->agencies));
    json_object_set_new(p, "responses",
                        json_pack("{s:I, s:I}", "IIT", (json_int_t)in->responses[0], "EIT",
                                  (json_int_t)in->responses[1]));
    json_object_set_new(p, "response_set",
                        json_pack("{s:s, s:I, s:s}", "algorithm", "ita-rowsum-sha256/1", "rows",
                                  (json_int_t)in->digest_rows, "digest", in->digest));
    json_object_set_new(p, "k_min", json_integer(in->k_min));
    json_object_set_new(p, "generated_by", json_string(in->generated_by));
    json_object_set_new(p, "generated_at", json_string(in->generated_at));

    char *canon = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)canon, strlen(canon), sign_sk);
    free(canon);
    char sig_hex[2 * crypto_sign_BYTES + 1];
    secret_hex(sig, sizeof sig, sig_hex);
    json_t *m =
        json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}", "format", "ita-export-manifest/1", "payload", p,
                  "signature", "algorithm", "Ed25519", "public_key", pk_hex, "value", sig_hex);
    char *out = json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(m);
    char *copy = xstrdup(out);
    free(out);
    return copy;
}

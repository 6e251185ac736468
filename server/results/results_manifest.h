/* Verifiable exports: the server's Ed25519 signing key (a 32-byte seed from signing_key_file, or,
 * when that is empty, derived from the server secret so that every server of a deployment signs
 * with the same key) and the manifest that accompanies each aggregate export.
 *
 * Manifest ("ita-export-manifest/1"): {"format", "payload": {...}, "signature": {"algorithm":
 * "Ed25519", "public_key": hex, "value": hex}}. The signature covers the payload serialised by
 * jansson with JSON_COMPACT | JSON_SORT_KEYS (UTF-8 as is, no escaping of non-ASCII); the payload
 * holds only strings, integers, booleans, arrays and objects, so a verifier that parses and
 * re-serialises it the same way gets the same bytes. */
#ifndef ITA_RESULTS_MANIFEST_H
#define ITA_RESULTS_MANIFEST_H

#include "instrument.h"
#include "secret.h"

#include <stddef.h>
#include <stdint.h>

#define RESULTS_KEY_HEX 65 /* 32 bytes as hex + NUL */

/* Loads (or derives) the signing key once at start-up, before the workers run. key_file may be
 * "" (derive from the secret). -1 with a message naming the file. */
int results_key_init(const char *key_file, const struct secret *secret, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* The public key as hex; "" before results_key_init. */
const char *results_public_key_hex(void);

struct results_manifest_in {
    const char *kind;     /* "aggregates" or "questions" */
    const char *format;   /* "csv" or "json" */
    const char *filename; /* the file's suggested name */
    const void *file;     /* the exported bytes */
    size_t file_len;
    const struct ita_version *v; /* instrument version used (point maps are listed) */
    int revision;                /* its revision in the database */
    const char *version_sha256;  /* SHA-256 of its canonical JSON */
    const char *scope;           /* "all", or the agency code */
    size_t agencies;             /* agencies in the file */
    uint64_t responses[2];       /* IIT, EIT responses behind the figures */
    uint64_t digest_rows;        /* rows behind the response-set digest */
    const char *digest;          /* response-set digest (hex) */
    int k_min;                   /* suppression threshold */
    const char *generated_by;    /* administrator's e-mail */
    const char *generated_at;    /* ISO 8601 UTC */
};

/* The signed manifest as pretty JSON (caller frees), or NULL before results_key_init. */
char *results_manifest_make(const struct results_manifest_in *in);

#endif

/* `itad --create-admin EMAIL`: creates a system administrator with a generated password, printed
 * once. With only_if_none it does nothing when any administrator exists (the run command uses
 * this to make the first one). Start-up tool: blocking libpq, argon2id on the calling thread. */
#ifndef ITA_ADMIN_CLI_H
#define ITA_ADMIN_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* agency_code NULL: a system administrator; else an agency administrator of that agency. */
int admin_create(const char *conninfo, const char *email, const char *agency_code,
                 bool only_if_none, char *err, size_t errlen) __attribute__((warn_unused_result));

/* `itad --create-api-token EMAIL [--token-name NAME]`: issues an API token for the administrator
 * EMAIL and prints it alone on stdout (once; the database keeps its HMAC under the server secret,
 * so the secret file must be the server's). */
struct secret;
int admin_create_api_token(const char *conninfo, const struct secret *s, const char *email,
                           const char *name, char *err, size_t errlen)
    __attribute__((warn_unused_result));

#endif

/* `itad --create-admin EMAIL`: creates a system administrator with a generated password, printed
 * once. With only_if_none it does nothing when any administrator exists (the run command uses
 * this to make the first one). Start-up tool: blocking libpq, argon2id on the calling thread. */
#ifndef ITA_ADMIN_CLI_H
#define ITA_ADMIN_CLI_H

#include <stdbool.h>
#include <stddef.h>

int admin_create(const char *conninfo, const char *email, bool only_if_none, char *err,
                 size_t errlen) __attribute__((warn_unused_result));

#endif

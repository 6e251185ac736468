/* An output file of itactl being written: a temporary file next to it, renamed into place only
 * once everything is written, so a failure never leaves half a file or spoils an old one. "-"
 * writes to standard output instead. Return values are itactl exit codes (api_client.h). */
#ifndef ITA_OUTFILE_H
#define ITA_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
    const char *path; /* where it ends up; "-" = standard output */
    char *tmp;        /* temporary path (owned), NULL for standard output */
    int fd;           /* open descriptor of tmp, or 1 */
    FILE *stream;     /* outfile_stream's stdio stream on fd, or NULL */
};

/* Opens before the request is sent, so an unwritable place is found out first. private: readable
 * by the owner only (personal data); otherwise the usual permissions (umask). */
int outfile_open(struct outfile *o, const char *path, bool private);
/* Removes the temporary file (nothing was written to path). */
void outfile_abort(struct outfile *o);
/* Writes len more bytes and puts the file in place. */
int outfile_commit(struct outfile *o, const char *data, size_t len);
/* A stdio stream on the file, for writing data as it arrives (owned by o: finish with
 * outfile_commit(o, NULL, 0) or outfile_abort). NULL when it cannot be made. */
FILE *outfile_stream(struct outfile *o);

#endif

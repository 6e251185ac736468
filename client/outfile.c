/* itactl's output files (see outfile.h). */
#include "outfile.h"

#include "api_client.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path, bool private)
{
    o->path = path;
    o->tmp = NULL;
    o->fd = 1;
    o->stream = NULL;
    if (!strcmp(path, "-"))
        return ITACTL_OK;
    o->tmp = xasprintf("%s.itactl-XXXXXX", path);
    o->fd = mkstemp(o->tmp); /* mode 0600 */
    if (o->fd < 0) {
        fprintf(stderr, "itactl: cannot write %s: %s\n", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return ITACTL_USAGE;
    }
    if (!private) {
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(o->fd, 0666 & ~mask);
    }
    return ITACTL_OK;
}

FILE *outfile_stream(struct outfile *o)
{
    if (!o->stream)
        o->stream = o->tmp ? fdopen(o->fd, "wb") : stdout;
    return o->stream;
}

/* Closes the temporary file (its stream, if any); 0 or an errno. */
static int close_tmp(struct outfile *o)
{
    int e = 0;
    if (o->stream) {
        if (fclose(o->stream) != 0)
            e = errno;
    } else if (close(o->fd) != 0) {
        e = errno;
    }
    o->stream = NULL;
    o->fd = -1;
    return e;
}

void outfile_abort(struct outfile *o)
{
    if (o->tmp) {
        close_tmp(o);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
}

int outfile_commit(struct outfile *o, const char *data, size_t len)
{
    int e = 0;
    if (o->stream && fflush(o->stream) != 0)
        e = errno ? errno : EIO;
    size_t off = 0;
    while (!e && off < len) {
        ssize_t w = write(o->fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = w < 0 ? errno : EIO;
            break;
        }
        off += (size_t)w;
    }
    if (!o->tmp) {
        if (e)
            fprintf(stderr, "itactl: cannot write to standard output: %s\n", strerror(e));
        return e ? ITACTL_SERVER_ERROR : ITACTL_OK;
    }
    int ce = close_tmp(o);
    if (!e)
        e = ce;
    if (!e && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        fprintf(stderr, "itactl: cannot write %s: %s\n", o->path, strerror(e));
        unlink(o->tmp);
    }
    free(o->tmp);
    o->tmp = NULL;
    return e ? ITACTL_SERVER_ERROR : ITACTL_OK;
}

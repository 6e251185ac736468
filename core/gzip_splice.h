/* One gzip member (RFC 1952) spliced from parts compressed once and parts given per request,
 * without compressing the whole again. A piece is compressed once (gz_piece_init) as its own raw
 * deflate stream ending on a byte boundary (Z_SYNC_FLUSH, no final block); a literal (a
 * per-request secret such as a form token) goes out as a stored, i.e. uncompressed, block, so its
 * bytes never take part in any compression. Independent pieces can be concatenated because none
 * refers back before its own start. The member ends with a final empty block and the trailer,
 * whose CRC-32 is combined from the parts' CRCs (zlib's crc32_combine) and whose ISIZE is the sum
 * of their lengths. A piece may also be compressed with the parts before it as its history
 * (gz_piece_init_after): its matches then reach back across the literals into the pieces before,
 * as one deflate of the whole page would, and the member is as small as that. Pure C over zlib:
 * no I/O. */
#ifndef ITA_GZIP_SPLICE_H
#define ITA_GZIP_SPLICE_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pieces plus literals per member. */
#define GZ_SPLICE_MAX_PARTS 8

struct gz_span {
    const void *data;
    size_t len;
};

/* A part compressed once. Owns z (gz_piece_free). */
struct gz_piece {
    unsigned char *z; /* raw deflate blocks, byte aligned, none final; NULL when len is 0 */
    size_t z_len;     /* bytes at z */
    size_t len;       /* uncompressed bytes */
    uint32_t crc;     /* CRC-32 of the uncompressed bytes */
    /* compressed after others (gz_piece_init_after): the lengths of the parts it must follow */
    size_t n_before; /* 0: the piece stands alone and may go anywhere */
    size_t before_len[GZ_SPLICE_MAX_PARTS];
};

/* Compresses len bytes at data (level 1..9) into p; false (p left empty) when zlib fails. */
bool gz_piece_init(struct gz_piece *p, const void *data, size_t len, int level)
    __attribute__((warn_unused_result));
/* Like gz_piece_init, but compressed with the n_before parts that will precede it in the member
 * as its history (zlib's preset dictionary: their last 32 KiB). A part with data NULL is a
 * literal given per request, of len bytes; it is taken as that many NUL bytes, which the data
 * never holds, so no match reaches into a literal, while matches across it land right as long as
 * the literals have exactly these lengths. gz_splice_piece therefore accepts the piece only after
 * parts of exactly these lengths (the caller keeps the pieces themselves the same); otherwise
 * the member fails and the page goes uncompressed. Data holding a NUL byte is compressed alone. */
bool gz_piece_init_after(struct gz_piece *p, const void *data, size_t len, int level,
                         const struct gz_span *before, size_t n_before)
    __attribute__((warn_unused_result));
void gz_piece_free(struct gz_piece *p);

/* Literals longer than this are refused (one stored block holds at most 65535 bytes). */
#define GZ_LITERAL_MAX 65535

/* A member being spliced: the spans to send one after the other. Spans point into the pieces,
 * the literals and the struct itself (headers, trailer), which must all stay alive and unmoved
 * until the spans are written out. */
struct gz_splice {
    struct gz_span spans[2 * GZ_SPLICE_MAX_PARTS + 2]; /* header, parts, end */
    size_t n_spans;
    size_t n_parts;
    size_t part_len[GZ_SPLICE_MAX_PARTS]; /* uncompressed bytes of each part so far */
    size_t bytes;                         /* total of the spans' lengths: the Content-Length */
    uint32_t crc;                         /* of the uncompressed bytes so far */
    uint64_t isize;                       /* uncompressed bytes so far */
    bool failed; /* too many parts, a literal too long or a piece after other lengths than it
                  * was compressed for: the member is not usable */
    unsigned char stored[GZ_SPLICE_MAX_PARTS][5]; /* a stored block's head per literal */
    unsigned char end[2 + 8];                     /* final empty block and trailer */
};

void gz_splice_begin(struct gz_splice *s);
/* Appends a piece (borrowed). */
void gz_splice_piece(struct gz_splice *s, const struct gz_piece *p);
/* Appends len bytes at data (borrowed) as a stored block; nothing for len 0. */
void gz_splice_literal(struct gz_splice *s, const void *data, size_t len);
/* Ends the member; false when it failed (then send the page uncompressed). */
bool gz_splice_end(struct gz_splice *s) __attribute__((warn_unused_result));

/* The whole of data as one gzip member appended to out (a page compressed per request). */
bool gz_compress(struct strbuf *out, const void *data, size_t len, int level)
    __attribute__((warn_unused_result));

#endif

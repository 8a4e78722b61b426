/* Owned, growable, always NUL-terminated byte buffer that refuses to grow past the maximum
 * its owner set (house-style 5): the building block for bounded request bodies and replies. */
#ifndef PIXELS_CORE_BUF_H
#define PIXELS_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *ptr; /* owned; NULL until the first append; ptr[len] == '\0' once allocated */
	size_t len;
	size_t cap;
	size_t max; /* appends that would pass this many bytes fail; 0 = unbounded */
};

/* Prepares an empty buffer (no allocation). */
void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer can be reused after buf_init. */
void buf_release(struct buf *b);
/* Zeroes then frees: for buffers that held secrets. */
void buf_release_secret(struct buf *b);
/* Appends len bytes; 0 on success, -1 (buffer unchanged) if max would be passed. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_append_cstr(struct buf *b, const char *s);
int buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Content as a C string: "" for an empty buffer. Borrowed until the next append or release. */
const char *buf_cstr(const struct buf *b);
/* Hands the storage to the caller (NUL-terminated, never NULL) and resets the buffer. */
char *buf_detach(struct buf *b, size_t *len_out);
void buf_reset(struct buf *b);

#endif

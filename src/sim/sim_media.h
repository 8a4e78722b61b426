/* Media objects of the simulator: uploads (POST /{phone-number-id}/media) and the files of
 * injected inbound media. Thread-safe, bounded by count and total bytes (the oldest object is
 * evicted first, as Meta forgets media after 30 days). Download URLs are signed with an HMAC
 * over (id, expiry) so a client cannot stretch the 5-minute validity. */
#ifndef PIXELS_SIM_SIM_MEDIA_H
#define PIXELS_SIM_SIM_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define SIM_MEDIA_MAX_COUNT 10000
#define SIM_MEDIA_MAX_BYTES (512u * 1024 * 1024)
#define SIM_MEDIA_URL_TTL_S 300

struct sim_media;

/* What GET /{media-id} reports. */
struct sim_media_info {
	char id[24];
	char mime[128];
	char sha256_hex[65];
	char sha256_b64[48];
	size_t size;
};

struct sim_media *sim_media_new(void);
void sim_media_free(struct sim_media *m);
void sim_media_clear(struct sim_media *m);
/* Stores a copy of len bytes under id (a fresh id from the caller) and fills *info. */
void sim_media_add(struct sim_media *m, const char *id, const void *data, size_t len,
                   const char *mime, struct sim_media_info *info);
/* Metadata of id; false when unknown. */
bool sim_media_find(struct sim_media *m, const char *id, struct sim_media_info *info);
/* Appends the bytes of id to out and copies its MIME type; false when unknown. */
bool sim_media_read(struct sim_media *m, const char *id, struct buf *out, char *mime, size_t cap);
bool sim_media_delete(struct sim_media *m, const char *id);

/* Is mime one Meta accepts for WhatsApp media, and is size within its limit for that type?
 * 0, or -1 with a reason in details. */
int sim_media_check_type(const char *mime, size_t size, char *details, size_t cap);
/* Generated content for injected inbound media of a message type ("image" -> a 1x1 PNG ...):
 * bytes borrowed from static storage, and its MIME type. */
void sim_media_sample(const char *type, const void **data, size_t *len, const char **mime);

#endif

/* Media store; see sim_media.h. Objects sit in a map by id; a ring of ids remembers insertion
 * order for eviction (ids of deleted objects are skipped when they come round). */
#include "sim/sim_media.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sec.h"
#include "core/xalloc.h"
#include "sim/sim_map.h"
#include "sim/sim_util.h"

#define MB (1024u * 1024u)

struct item {
	struct sim_media_info info;
	unsigned char *data; /* owned */
};

struct sim_media {
	pthread_mutex_t lock;
	struct sim_map *items; /* id -> struct item */
	char (*ring)[24];      /* owned; SIM_MEDIA_MAX_COUNT ids, oldest at head */
	size_t head;
	size_t count;
	size_t bytes;
};

static void item_free(void *p)
{
	struct item *it = p;
	free(it->data);
	free(it);
}

struct sim_media *sim_media_new(void)
{
	struct sim_media *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	m->items = sim_map_new(item_free);
	m->ring = xcalloc(SIM_MEDIA_MAX_COUNT, sizeof(*m->ring));
	return m;
}

void sim_media_clear(struct sim_media *m)
{
	pthread_mutex_lock(&m->lock);
	sim_map_clear(m->items);
	m->head = m->count = m->bytes = 0;
	pthread_mutex_unlock(&m->lock);
}

void sim_media_free(struct sim_media *m)
{
	if (!m)
		return;
	sim_map_free(m->items);
	free(m->ring);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

static void remove_locked(struct sim_media *m, const char *id)
{
	struct item *it = sim_map_find(m->items, id);
	if (!it)
		return;
	m->bytes -= it->info.size;
	sim_map_remove(m->items, id);
}

static void evict_oldest_locked(struct sim_media *m)
{
	remove_locked(m, m->ring[m->head]);
	m->head = (m->head + 1) % SIM_MEDIA_MAX_COUNT;
	m->count--;
}

void sim_media_add(struct sim_media *m, const char *id, const void *data, size_t len,
                   const char *mime, struct sim_media_info *info)
{
	struct item *it = xcalloc(1, sizeof(*it));
	it->data = xmalloc(len ? len : 1);
	memcpy(it->data, data, len);
	snprintf(it->info.id, sizeof(it->info.id), "%s", id);
	snprintf(it->info.mime, sizeof(it->info.mime), "%s", mime);
	uint8_t digest[SEC_SHA256_BYTES];
	sec_sha256(data, len, digest);
	sec_hex(digest, sizeof(digest), it->info.sha256_hex);
	sim_util_b64(digest, sizeof(digest), false, it->info.sha256_b64);
	it->info.size = len;
	*info = it->info;
	pthread_mutex_lock(&m->lock);
	while (m->count > 0 &&
	       (m->count == SIM_MEDIA_MAX_COUNT || m->bytes + len > SIM_MEDIA_MAX_BYTES))
		evict_oldest_locked(m);
	snprintf(m->ring[(m->head + m->count) % SIM_MEDIA_MAX_COUNT], 24, "%s", id);
	m->count++;
	m->bytes += len;
	sim_map_put(m->items, id, it);
	pthread_mutex_unlock(&m->lock);
}

bool sim_media_find(struct sim_media *m, const char *id, struct sim_media_info *info)
{
	pthread_mutex_lock(&m->lock);
	const struct item *it = sim_map_find(m->items, id);
	if (it)
		*info = it->info;
	pthread_mutex_unlock(&m->lock);
	return it != NULL;
}

bool sim_media_read(struct sim_media *m, const char *id, struct buf *out, char *mime, size_t cap)
{
	bool ok = false;
	pthread_mutex_lock(&m->lock);
	const struct item *it = sim_map_find(m->items, id);
	if (it && buf_append(out, it->data, it->info.size) == 0) {
		snprintf(mime, cap, "%s", it->info.mime);
		ok = true;
	}
	pthread_mutex_unlock(&m->lock);
	return ok;
}

bool sim_media_delete(struct sim_media *m, const char *id)
{
	pthread_mutex_lock(&m->lock);
	bool found = sim_map_find(m->items, id) != NULL;
	remove_locked(m, id);
	pthread_mutex_unlock(&m->lock);
	return found;
}

static const struct {
	const char *mime;
	size_t max;
} TYPES[] = {
    {"image/jpeg", 5 * MB},
    {"image/png", 5 * MB},
    {"image/webp", 500 * 1024},
    {"video/mp4", 16 * MB},
    {"video/3gpp", 16 * MB},
    {"audio/aac", 16 * MB},
    {"audio/amr", 16 * MB},
    {"audio/mpeg", 16 * MB},
    {"audio/mp4", 16 * MB},
    {"audio/ogg", 16 * MB},
    {"text/plain", 100 * MB},
    {"application/pdf", 100 * MB},
    {"application/msword", 100 * MB},
    {"application/vnd.ms-excel", 100 * MB},
    {"application/vnd.ms-powerpoint", 100 * MB},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100 * MB},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 100 * MB},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", 100 * MB},
};

int sim_media_check_type(const char *mime, size_t size, char *details, size_t cap)
{
	size_t base = strcspn(mime, "; ");
	for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++) {
		if (strlen(TYPES[i].mime) != base || strncasecmp(mime, TYPES[i].mime, base) != 0)
			continue;
		if (size <= TYPES[i].max)
			return 0;
		snprintf(details, cap,
		         "Param file is %zu bytes; %s media may be at most %zu bytes.", size,
		         TYPES[i].mime, TYPES[i].max);
		return -1;
	}
	snprintf(details, cap,
	         "Param file must be a file with one of the supported MIME types "
	         "(image/jpeg, image/png, video/mp4, audio/ogg, application/pdf ...).");
	return -1;
}

static const unsigned char PNG_1X1[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
static const char PDF_TINY[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                               "2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
                               "trailer<</Root 1 0 R>>\n%%EOF\n";
static const char OGG_STUB[] = "OggS\0\2\0\0\0\0\0\0\0\0pixels-sim-audio";
static const char MP4_STUB[] = "\0\0\0\x18"
                               "ftypmp42\0\0\0\0mp42isom";
static const char WEBP_STUB[] =
    "RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0";

static const struct {
	const char *type;
	const void *data;
	size_t len;
	const char *mime;
} SAMPLES[] = {
    {"document", PDF_TINY, sizeof(PDF_TINY) - 1, "application/pdf"},
    {"audio", OGG_STUB, sizeof(OGG_STUB) - 1, "audio/ogg; codecs=opus"},
    {"video", MP4_STUB, sizeof(MP4_STUB) - 1, "video/mp4"},
    {"sticker", WEBP_STUB, sizeof(WEBP_STUB) - 1, "image/webp"},
    {"image", PNG_1X1, sizeof(PNG_1X1), "image/png"},
};

void sim_media_sample(const char *type, const void **data, size_t *len, const char **mime)
{
	size_t n = sizeof(SAMPLES) / sizeof(SAMPLES[0]);
	size_t i = 0;
	while (i + 1 < n && strcmp(SAMPLES[i].type, type) != 0)
		i++; /* the last entry (a PNG) serves any other type */
	*data = SAMPLES[i].data;
	*len = SAMPLES[i].len;
	*mime = SAMPLES[i].mime;
}

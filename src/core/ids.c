/* Id generation; see ids.h. Ids made in the same millisecond as the previous one reuse its
 * random part plus one instead of drawing again, so they sort in creation order even when
 * many are made per millisecond. That "previous id" is the one piece of process state here,
 * guarded by a mutex. A clock that steps back simply starts a new random sequence. */
#include "core/ids.h"

#include <pthread.h>
#include <string.h>

#include "core/sec.h"

static pthread_mutex_t ids_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t ids_last_ms = -1;
static unsigned char ids_last_rand[6];

/* Adds one to a big-endian counter; a wrap (2^48 ids in one millisecond) cannot happen. */
static void increment(unsigned char *p, size_t n)
{
	for (size_t i = n; i-- > 0;)
		if (++p[i] != 0)
			return;
}

void ids_new(int64_t now_ms, char out[IDS_SIZE])
{
	unsigned char raw[12];
	pthread_mutex_lock(&ids_lock);
	if (now_ms == ids_last_ms) {
		increment(ids_last_rand, sizeof(ids_last_rand));
	} else {
		ids_last_ms = now_ms;
		sec_random(ids_last_rand, sizeof(ids_last_rand));
		ids_last_rand[0] &= 0x7F; /* room to increment without carrying into the time */
	}
	memcpy(raw + 6, ids_last_rand, sizeof(ids_last_rand));
	pthread_mutex_unlock(&ids_lock);
	uint64_t t = (uint64_t)now_ms;
	for (int i = 5; i >= 0; i--) {
		raw[i] = (unsigned char)(t & 0xFF);
		t >>= 8;
	}
	sec_hex(raw, sizeof(raw), out);
}

bool ids_is_valid(struct str s)
{
	if (s.len != IDS_LEN)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/* Id generation; see ids.h. */
#include "core/ids.h"

#include "core/sec.h"

void ids_new(int64_t now_ms, char out[IDS_SIZE])
{
	unsigned char raw[12];
	uint64_t t = (uint64_t)now_ms;
	for (int i = 5; i >= 0; i--) {
		raw[i] = (unsigned char)(t & 0xFF);
		t >>= 8;
	}
	sec_random(raw + 6, 6);
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

/* Shared simulator helpers; see sim_util.h. */
#include "sim/sim_util.h"

#include <string.h>
#include <strings.h>

#include "core/sec.h"

static const char B64_STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64_URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void sim_util_b64(const void *data, size_t len, bool url, char *out)
{
	const unsigned char *p = data;
	const char *abc = url ? B64_URL : B64_STD;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;
		if (n > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		if (n > 1)
			out[o++] = abc[(v >> 6) & 63];
		else if (!url)
			out[o++] = '=';
		if (n > 2)
			out[o++] = abc[v & 63];
		else if (!url)
			out[o++] = '=';
	}
	out[o] = '\0';
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int sim_util_unb64(const char *s, size_t len, struct buf *out)
{
	while (len > 0 && s[len - 1] == '=')
		len--;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value(s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			unsigned char byte = (unsigned char)((acc >> bits) & 0xFF);
			if (buf_append(out, &byte, 1) != 0)
				return -1;
		}
	}
	return bits >= 6 ? -1 : 0; /* a lone trailing character carries no byte */
}

uint64_t sim_util_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

int sim_util_wa_id(const char *to, char *out, size_t cap)
{
	size_t n = 0;
	bool ok = cap >= 16;
	for (const char *p = to; ok && *p; p++) {
		bool digit = *p >= '0' && *p <= '9';
		if (digit && n < 15)
			out[n++] = *p;
		else if (digit || !strchr("+ -.()", *p))
			ok = false;
	}
	if (!ok || n < 7) {
		if (cap > 0)
			out[0] = '\0';
		return -1;
	}
	out[n] = '\0';
	return 0;
}

size_t sim_util_utf8_len(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

void sim_util_fbtrace(char out[24])
{
	unsigned char raw[18];
	char tmp[SIM_UTIL_B64_SIZE(18)];
	sec_random(raw, sizeof(raw));
	sim_util_b64(raw, sizeof(raw), true, tmp);
	memcpy(out, tmp, 23);
	out[23] = '\0';
}

bool sim_util_is_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

const char *sim_util_find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	for (size_t i = 0; nlen > 0 && i + nlen <= hlen; i++) {
		const char *hit = memchr(hay + i, needle[0], hlen - nlen + 1 - i);
		if (!hit)
			return NULL;
		i = (size_t)(hit - hay);
		if (memcmp(hit, needle, nlen) == 0)
			return hit;
	}
	return NULL;
}

const char *sim_util_find_nocase(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	for (size_t i = 0; nlen > 0 && i + nlen <= hlen; i++)
		if (strncasecmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

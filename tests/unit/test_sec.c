/* Unit tests for core/sec: hex round trips and strict decoding, SHA-256 and HMAC-SHA256 against
 * published test vectors (FIPS 180-2 "abc", RFC 4231 cases 1, 2 and 6), constant-time equality,
 * random output shape, and argon2id hash/verify (two hashes only: each costs ~64 MiB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sec.h"

static int setup(void **state)
{
	return sec_init();
}

static void test_hex_round_trip(void **state)
{
	uint8_t all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	char hex[513];
	sec_hex(all, sizeof(all), hex);
	assert_int_equal(strlen(hex), 512);
	assert_memory_equal(hex, "000102030405060708090a0b0c0d0e0f10", 34);
	assert_string_equal(hex + 502, "fbfcfdfeff");

	uint8_t back[256];
	assert_int_equal(sec_unhex(hex, 512, back, sizeof(back)), 0);
	assert_memory_equal(back, all, sizeof(all));

	char empty[1] = {'x'};
	sec_hex(all, 0, empty);
	assert_string_equal(empty, "");
	assert_int_equal(sec_unhex("", 0, back, 0), 0);
}

static void test_unhex_rejects(void **state)
{
	uint8_t out[4];
	assert_int_equal(sec_unhex("deadbeef", 8, out, 4), 0);
	assert_memory_equal(out, "\xde\xad\xbe\xef", 4);
	assert_int_equal(sec_unhex("DEADBEEF", 8, out, 4), 0); /* case-insensitive */
	assert_memory_equal(out, "\xde\xad\xbe\xef", 4);

	static const struct {
		const char *hex;
		size_t out_len;
	} bad[] = {
	    {"deadbee", 4},    /* odd length */
	    {"deadbeef00", 4}, /* too long */
	    {"deadbe", 4},     /* too short */
	    {"", 4},           /* empty */
	    {"deadbeeg", 4},   /* non-hex */
	    {"dead beef", 4},  /* space */
	    {"de:ad:be", 4},   /* separators */
	    {"0xdeadbe", 4},   /* prefix */
	    {"-1", 1},         {"zz", 1},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (sec_unhex(bad[i].hex, strlen(bad[i].hex), out, bad[i].out_len) != -1)
			fail_msg("accepted \"%s\"", bad[i].hex);
	}
	/* an embedded NUL inside the stated length is junk */
	assert_int_equal(sec_unhex("dead\0eef", 8, out, 4), -1);
}

static void test_sha256_vectors(void **state)
{
	char hex[SEC_SHA256_HEX];
	sec_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sec_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	uint8_t raw[SEC_SHA256_BYTES];
	sec_sha256("abc", 3, raw);
	assert_memory_equal(raw, "\xba\x78\x16\xbf", 4);
	assert_memory_equal(raw + 28, "\xf2\x00\x15\xad", 4);
}

static void test_hmac_sha256_vectors(void **state)
{
	char hex[SEC_SHA256_HEX];
	uint8_t key1[20];
	memset(key1, 0x0b, sizeof(key1));
	/* RFC 4231 test case 1 */
	sec_hmac_sha256_hex(key1, sizeof(key1), "Hi There", 8, hex);
	assert_string_equal(hex,
	                    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* RFC 4231 test case 2 */
	const char *data2 = "what do ya want for nothing?";
	sec_hmac_sha256_hex("Jefe", 4, data2, strlen(data2), hex);
	assert_string_equal(hex,
	                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* RFC 4231 test case 6: key longer than the block size */
	uint8_t key6[131];
	memset(key6, 0xaa, sizeof(key6));
	const char *data6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	sec_hmac_sha256_hex(key6, sizeof(key6), data6, strlen(data6), hex);
	assert_string_equal(hex,
	                    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");

	uint8_t raw[SEC_SHA256_BYTES];
	sec_hmac_sha256("Jefe", 4, data2, strlen(data2), raw);
	assert_memory_equal(raw, "\x5b\xdc\xc1\x46", 4);
}

static void test_equal(void **state)
{
	assert_true(sec_equal("abc", 3, "abc", 3));
	assert_false(sec_equal("abc", 3, "abd", 3));
	assert_false(sec_equal("abc", 3, "xbc", 3));
	assert_false(sec_equal("abc", 3, "abcd", 4));
	assert_false(sec_equal("abcd", 4, "abc", 3));
	assert_true(sec_equal("", 0, "", 0));
	assert_true(sec_equal(NULL, 0, NULL, 0));
	assert_true(sec_equal("a\0b", 3, "a\0b", 3));
	assert_false(sec_equal("a\0b", 3, "a\0c", 3));
}

static void test_random(void **state)
{
	char a[65], b[65];
	sec_random_hex(32, a);
	sec_random_hex(32, b);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	for (size_t i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));

	/* longer than the internal chunk, and zero length */
	char big[301];
	sec_random_hex(150, big);
	assert_int_equal(strlen(big), 300);
	char none[1] = {'x'};
	sec_random_hex(0, none);
	assert_string_equal(none, "");

	for (int i = 0; i < 1000; i++)
		assert_true(sec_random_below(7) < 7);
	assert_int_equal(sec_random_below(1), 0);
	assert_int_equal(sec_random_below(0), 0);

	uint8_t z[16];
	sec_random(z, sizeof(z));
	sec_zero(z, sizeof(z));
	for (size_t i = 0; i < sizeof(z); i++)
		assert_int_equal(z[i], 0);
}

static void test_password(void **state)
{
	char h1[SEC_PWHASH_MAX];
	char h2[SEC_PWHASH_MAX];
	const char *pw = "correct horse battery staple";
	assert_int_equal(sec_password_hash(pw, strlen(pw), h1), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_true(strlen(h1) < SEC_PWHASH_MAX);
	assert_true(sec_password_verify(h1, pw, strlen(pw)));
	assert_false(sec_password_verify(h1, "correct horse battery stapl", strlen(pw) - 1));
	assert_false(sec_password_verify(h1, "Correct horse battery staple", strlen(pw)));
	assert_false(sec_password_verify("not a hash", pw, strlen(pw)));
	assert_false(sec_password_verify("", pw, strlen(pw)));

	/* salted: the same password hashes differently */
	assert_int_equal(sec_password_hash(pw, strlen(pw), h2), 0);
	assert_string_not_equal(h1, h2);
	assert_true(sec_password_verify(h2, pw, strlen(pw)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hex_round_trip), cmocka_unit_test(test_unhex_rejects),
	    cmocka_unit_test(test_sha256_vectors), cmocka_unit_test(test_hmac_sha256_vectors),
	    cmocka_unit_test(test_equal),          cmocka_unit_test(test_random),
	    cmocka_unit_test(test_password),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

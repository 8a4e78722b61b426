/* Unit tests for meta/signature: expected values were computed independently with
 * `printf ... | openssl dgst -sha256 -hmac my_app_secret`. Covers raw UTF-8 and \u-escaped
 * bodies (the signature is over the bytes as sent, so re-serialising breaks it), a fixture
 * file, tampering, a wrong secret, and every malformed header shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jsonw.h"
#include "core/sec.h"
#include "meta/signature.h"
#include "meta_fixtures.h"

#define SECRET "my_app_secret"

static const char plain_body[] = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
static const char plain_sig[] =
    "sha256=1e948187320e1d8a8ab09e20b7172f8fe97e79394c0980b59b485e00288e389d";
/* "Olá 👍" as raw UTF-8 bytes */
static const char utf8_body[] = "{\"text\":\"Ol\xc3\xa1 \xf0\x9f\x91\x8d\"}";
static const char utf8_sig[] =
    "sha256=3c1c3d67c04a6460708925eec050ab3e2c85522c6070f5d93d426df39994d24e";
/* the same text with JSON \u escapes, as Meta may send it */
static const char escaped_body[] = "{\"text\":\"Ol\\u00e1 \\ud83d\\udc4d\"}";
static const char escaped_sig[] =
    "sha256=085ccb8bafd1bff3dc6edbe0719704a87482bfaf0cff815527dfc3d558b9e22e";
static const char empty_sig[] =
    "sha256=30bb2ab83d5e42814f3d42faeac59cbb9e0ffef97d2c697133115cf266c72177";

static int setup(void **state)
{
	return sec_init();
}

static void test_compute_known_vectors(void **state)
{
	char out[META_SIGNATURE_SIZE];
	meta_signature_compute(SECRET, plain_body, strlen(plain_body), out);
	assert_string_equal(out, plain_sig);
	meta_signature_compute(SECRET, utf8_body, strlen(utf8_body), out);
	assert_string_equal(out, utf8_sig);
	meta_signature_compute(SECRET, escaped_body, strlen(escaped_body), out);
	assert_string_equal(out, escaped_sig);
	meta_signature_compute(SECRET, "", 0, out);
	assert_string_equal(out, empty_sig);
	assert_int_equal(strlen(out), META_SIGNATURE_SIZE - 1);
}

static void test_valid_signatures(void **state)
{
	assert_true(meta_signature_valid(plain_sig, plain_body, strlen(plain_body), SECRET));
	assert_true(meta_signature_valid(utf8_sig, utf8_body, strlen(utf8_body), SECRET));
	assert_true(meta_signature_valid(escaped_sig, escaped_body, strlen(escaped_body), SECRET));
	assert_true(meta_signature_valid(empty_sig, "", 0, SECRET));

	/* Upper-case hex is the same bytes. */
	char upper[sizeof(plain_sig)];
	memcpy(upper, plain_sig, sizeof(plain_sig));
	for (char *p = upper + 7; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	assert_true(meta_signature_valid(upper, plain_body, strlen(plain_body), SECRET));
}

static void test_fixture_file(void **state)
{
	size_t len = 0;
	char *body = meta_fixture_read("wh-incoming-text.json", &len);
	static const char want[] =
	    "sha256=747f38e963e99a13529f831264f2d777ba780bda573739d38ccfb05d55d9d99f";
	assert_true(meta_signature_valid(want, body, len, SECRET));

	/* Re-serialising (compact, no newlines) gives other bytes and so fails the check. */
	json_t *root = NULL;
	assert_int_equal(jsonw_parse_object(body, len, &root, NULL), 0);
	size_t dumped_len = 0;
	char *dumped = jsonw_dump(root, &dumped_len);
	assert_false(meta_signature_valid(want, dumped, dumped_len, SECRET));
	free(dumped);
	json_decref(root);
	free(body);
}

static void test_reserialised_escapes_break_it(void **state)
{
	/* Parsing the \u-escaped body and writing it back yields raw UTF-8: the same JSON
	 * value, but not the bytes Meta signed. */
	json_t *root = NULL;
	assert_int_equal(jsonw_parse_object(escaped_body, strlen(escaped_body), &root, NULL), 0);
	size_t len = 0;
	char *again = jsonw_dump(root, &len);
	assert_string_equal(again, utf8_body);
	assert_false(meta_signature_valid(escaped_sig, again, len, SECRET));
	assert_false(meta_signature_valid(utf8_sig, escaped_body, strlen(escaped_body), SECRET));
	free(again);
	json_decref(root);
}

static void test_tampered_and_wrong_secret(void **state)
{
	char tampered[sizeof(plain_body)];
	memcpy(tampered, plain_body, sizeof(plain_body));
	tampered[10] ^= 0x01;
	assert_false(meta_signature_valid(plain_sig, tampered, strlen(tampered), SECRET));
	/* one byte more or less */
	assert_false(meta_signature_valid(plain_sig, plain_body, strlen(plain_body) - 1, SECRET));
	assert_false(meta_signature_valid(plain_sig, plain_body, sizeof(plain_body), SECRET));
	assert_false(meta_signature_valid(plain_sig, plain_body, strlen(plain_body), "other"));
	assert_false(meta_signature_valid(plain_sig, plain_body, strlen(plain_body), ""));
	assert_false(meta_signature_valid(plain_sig, plain_body, strlen(plain_body), NULL));
	/* one hex digit off */
	char sig[sizeof(plain_sig)];
	memcpy(sig, plain_sig, sizeof(plain_sig));
	sig[sizeof(sig) - 2] = sig[sizeof(sig) - 2] == '0' ? '1' : '0';
	assert_false(meta_signature_valid(sig, plain_body, strlen(plain_body), SECRET));
}

static void test_malformed_headers(void **state)
{
	const char *hex = plain_sig + 7;
	char buf[256];
	static const char *const fixed[] = {
	    "", "sha256=", "sha256", "sha256=zz", "=" /* nothing */,
	};
	size_t len = strlen(plain_body);
	assert_false(meta_signature_valid(NULL, plain_body, len, SECRET));
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		assert_false(meta_signature_valid(fixed[i], plain_body, len, SECRET));
	static const struct {
		const char *prefix;
		int hex_len;
		const char *suffix;
	} shapes[] = {
	    {"sha1=", 64, ""},     /* another algorithm */
	    {"SHA256=", 64, ""},   /* the prefix is case-sensitive, as Meta sends it */
	    {"", 64, ""},          /* no prefix */
	    {" sha256=", 64, ""},  /* leading space */
	    {"sha256= ", 64, ""},  /* space after '=' */
	    {"sha256=", 64, " "},  /* trailing space */
	    {"sha256=", 64, "00"}, /* too long */
	    {"sha256=", 62, ""},   /* too short */
	    {"sha256=", 63, ""},   /* odd length */
	    {"sha256=0x", 62, ""}, /* hex prefix */
	    {"sha256=", 64, "\n"}, /* header line ending */
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%.*s%s", shapes[i].prefix, shapes[i].hex_len, hex,
		         shapes[i].suffix);
		if (meta_signature_valid(buf, plain_body, len, SECRET))
			fail_msg("accepted header \"%s\"", buf);
	}
	/* 64 characters that are not all hex */
	snprintf(buf, sizeof(buf), "sha256=%.63sg", hex);
	assert_false(meta_signature_valid(buf, plain_body, len, SECRET));
	/* the correct header still passes (the loop above is not vacuous) */
	snprintf(buf, sizeof(buf), "sha256=%s", hex);
	assert_true(meta_signature_valid(buf, plain_body, len, SECRET));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compute_known_vectors),
	    cmocka_unit_test(test_valid_signatures),
	    cmocka_unit_test(test_fixture_file),
	    cmocka_unit_test(test_reserialised_escapes_break_it),
	    cmocka_unit_test(test_tampered_and_wrong_secret),
	    cmocka_unit_test(test_malformed_headers),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

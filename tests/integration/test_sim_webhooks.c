/* Integration: status webhooks from the Meta simulator to a receiver over real HTTP. They
 * arrive signed (verified with meta_signature_valid) in the documented shape for sent,
 * delivered and read (pricing, conversation, biz_opaque_callback_data); statuses are batched
 * up to webhook_batch per POST and shuffled on request; skip_delivered, duplicate and BSUID
 * options are observable; a receiver answering 500 gets the body again with backoff; the
 * queue is bounded and counts what it drops. Waits poll conditions with timeouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "core/log.h"
#include "core/sec.h"
#include "sim_receiver.h"

#define SECRET "sim-webhook-secret"
#define PNID "106540352242922"
#define WABA "102290129340398"
#define DISPLAY "15550783881"
#define TO "16505551234"
#define TOKEN "EAAG-test-token"
#define WAIT_MS 10000

static struct rx rx;

static void control(struct sim *s, const char *path, const char *body)
{
	struct th_resp r;
	simt_call(s, "POST", path, NULL, body, &r);
	if (r.status != 200)
		fail_msg("%s -> %ld %s", path, r.status, buf_cstr(&r.body));
	th_resp_release(&r);
}

static void prepare(struct sim *s)
{
	control(s, "/_sim/numbers",
	        "{\"phone_number_id\":\"" PNID "\",\"waba_id\":\"" WABA
	        "\",\"display_phone_number\":\"" DISPLAY "\"}");
	control(s, "/_sim/inbound", "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\"}");
}

/* Sends a text (to TO unless to is given) and copies its wamid into out. */
static void send_text(struct sim *s, const char *to, const char *extra, char *out, size_t cap)
{
	char body[512];
	snprintf(body, sizeof(body),
	         "{\"messaging_product\":\"whatsapp\",\"to\":\"%s\",\"type\":\"text\","
	         "\"text\":{\"body\":\"hello\"}%s}",
	         to ? to : TO, extra ? extra : "");
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN, body, &r);
	if (r.status != 200)
		fail_msg("send -> %ld %s", r.status, buf_cstr(&r.body));
	snprintf(out, cap, "%s", simt_wamid(&r));
	th_resp_release(&r);
}

static json_t *stats(struct sim *s)
{
	struct th_resp r;
	simt_call(s, "GET", "/_sim/stats", NULL, NULL, &r);
	json_t *w = json_incref(json_object_get(r.json, "webhooks"));
	th_resp_release(&r);
	return w;
}

static int64_t stat(json_t *w, const char *key)
{
	return json_integer_value(json_object_get(w, key));
}

/* Waits until every scheduled status was delivered and acknowledged and nothing is queued,
 * so what the receiver holds is final. */
static void wait_idle(struct sim *s)
{
	struct timespec pause = {0, 2 * 1000 * 1000};
	for (int i = 0; i < WAIT_MS / 2; i++) {
		json_t *w = stats(s);
		bool idle = stat(w, "in_queue") == 0 && stat(w, "statuses") == stat(w, "scheduled");
		json_decref(w);
		if (idle)
			return;
		nanosleep(&pause, NULL);
	}
	fail_msg("the simulator never became idle");
}

/* Waits until at least n events are queued in the simulator. */
static void wait_queued(struct sim *s, int64_t n)
{
	struct timespec pause = {0, 1000 * 1000};
	for (int i = 0; i < WAIT_MS; i++) {
		json_t *w = stats(s);
		bool queued = stat(w, "in_queue") >= n;
		json_decref(w);
		if (queued)
			return;
		nanosleep(&pause, NULL);
	}
	fail_msg("fewer than %lld events were ever queued", (long long)n);
}

static void tune_fast(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
}

static struct sim *start(void (*tune)(struct sim_config *cfg))
{
	rx_clear(&rx);
	struct sim *s = simt_start(&rx, SECRET, NULL, tune ? tune : tune_fast);
	prepare(s);
	assert_true(rx_wait_count(&rx, 1, WAIT_MS)); /* the inbound message */
	return s;
}

/* The body holding the first status (wamid, status), with the change value in *value. */
static json_t *envelope_of(const char *wamid, const char *status, json_t **value)
{
	for (size_t i = 0; i < rx_count(&rx); i++) {
		json_t *b = rx_body(&rx, i);
		json_t *v = json_object_get(
		    json_array_get(
		        json_object_get(json_array_get(json_object_get(b, "entry"), 0), "changes"),
		        0),
		    "value");
		json_t *st;
		size_t k;
		json_array_foreach(json_object_get(v, "statuses"), k, st)
		{
			if (strcmp(json_string_value(json_object_get(st, "id")), wamid) == 0 &&
			    strcmp(json_string_value(json_object_get(st, "status")), status) == 0) {
				*value = v;
				return b;
			}
		}
		json_decref(b);
	}
	fail_msg("no %s status for %s", status, wamid);
	return NULL;
}

static const char *sget(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static void assert_envelope(json_t *body, json_t *value)
{
	assert_string_equal(sget(body, "object"), "whatsapp_business_account");
	json_t *entry = json_array_get(json_object_get(body, "entry"), 0);
	assert_string_equal(sget(entry, "id"), WABA);
	json_t *change = json_array_get(json_object_get(entry, "changes"), 0);
	assert_string_equal(sget(change, "field"), "messages");
	assert_string_equal(sget(value, "messaging_product"), "whatsapp");
	json_t *md = json_object_get(value, "metadata");
	assert_string_equal(sget(md, "display_phone_number"), DISPLAY);
	assert_string_equal(sget(md, "phone_number_id"), PNID);
}

static void assert_pricing(json_t *st, const char *category, bool billable)
{
	json_t *p = json_object_get(st, "pricing");
	assert_true(json_is_true(json_object_get(p, "billable")) == billable);
	assert_string_equal(sget(p, "pricing_model"), "PMP");
	assert_string_equal(sget(p, "category"), category);
	assert_string_equal(sget(p, "type"), billable ? "regular" : "free_customer_service");
	json_t *conv = json_object_get(st, "conversation");
	assert_int_equal(strlen(sget(conv, "id")), 32);
	assert_string_equal(sget(json_object_get(conv, "origin"), "type"), category);
}

static void assert_status(const char *wamid, const char *status)
{
	json_t *value = NULL;
	json_t *body = envelope_of(wamid, status, &value);
	assert_envelope(body, value);
	assert_null(json_object_get(value, "contacts")); /* BSUID mode is off */
	json_t *st = rx_status(&rx, wamid, status);
	const char *ts = sget(st, "timestamp");
	assert_true(strlen(ts) >= 10 && strspn(ts, "0123456789") == strlen(ts));
	assert_string_equal(sget(st, "recipient_id"), TO);
	assert_string_equal(sget(st, "biz_opaque_callback_data"), "order-4711");
	if (strcmp(status, "read") == 0) {
		assert_null(json_object_get(st, "pricing"));
		assert_null(json_object_get(st, "conversation"));
	} else {
		assert_pricing(st, "service", false);
	}
	json_t *exp = json_object_get(json_object_get(st, "conversation"), "expiration_timestamp");
	assert_true((exp != NULL) == (strcmp(status, "sent") == 0));
	json_decref(st);
	json_decref(body);
}

static void test_status_shape(void **state)
{
	struct sim *s = start(NULL);
	char wamid[64];
	send_text(s, NULL, ",\"biz_opaque_callback_data\":\"order-4711\"", wamid, sizeof(wamid));
	assert_true(rx_wait_statuses(&rx, wamid, "read", 1, WAIT_MS));
	wait_idle(s);
	assert_int_equal(rx_statuses(&rx, wamid, "sent"), 1);
	assert_int_equal(rx_statuses(&rx, wamid, "delivered"), 1);
	assert_int_equal(rx_statuses(&rx, wamid, "read"), 1);
	assert_status(wamid, "sent");
	assert_status(wamid, "delivered");
	assert_status(wamid, "read");
	assert_int_equal(rx.bad_signatures, 0);
	sim_stop(s);
}

static void test_template_pricing(void **state)
{
	struct sim *s = start(NULL);
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" WABA "/message_templates", TOKEN,
	          "{\"name\":\"promo\",\"language\":\"en\",\"category\":\"MARKETING\","
	          "\"components\":[{\"type\":\"BODY\",\"text\":\"Sale!\"}]}",
	          &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	control(s, "/_sim/templates/status",
	        "{\"waba_id\":\"" WABA "\",\"name\":\"promo\",\"language\":\"en\","
	        "\"status\":\"APPROVED\"}");
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	          "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\",\"type\":\"template\","
	          "\"template\":{\"name\":\"promo\",\"language\":{\"code\":\"en\"}}}",
	          &r);
	assert_int_equal(r.status, 200);
	char wamid[64];
	snprintf(wamid, sizeof(wamid), "%s", simt_wamid(&r));
	th_resp_release(&r);
	assert_true(rx_wait_statuses(&rx, wamid, "delivered", 1, WAIT_MS));
	json_t *st = rx_status(&rx, wamid, "sent");
	assert_pricing(st, "marketing", true);
	json_decref(st);
	sim_stop(s);
}

static void tune_hold(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->webhook_threads = 1;
	cfg->webhook_batch = 50;
	cfg->delivered_delay_ms = 0;
	cfg->read_delay_ms = 0;
}

static int max_batch(void)
{
	int best = 0;
	for (size_t i = 0; i < rx_count(&rx); i++) {
		json_t *b = rx_body(&rx, i);
		json_t *v = json_object_get(
		    json_array_get(
		        json_object_get(json_array_get(json_object_get(b, "entry"), 0), "changes"),
		        0),
		    "value");
		int n = (int)json_array_size(json_object_get(v, "statuses"));
		best = n > best ? n : best;
		json_decref(b);
	}
	return best;
}

static void test_batching(void **state)
{
	struct sim *s = start(tune_hold);
	char first[64], ids[20][64];
	rx_hold(&rx, true);
	send_text(s, NULL, NULL, first, sizeof(first));
	assert_true(rx_wait_posts(&rx, 2, WAIT_MS)); /* the inbound, then the held batch */
	for (int i = 0; i < 20; i++)
		send_text(s, NULL, NULL, ids[i], sizeof(ids[i]));
	/* All 60 statuses are due at once (delays 0) while the only sender is held. */
	wait_queued(s, 60);
	rx_hold(&rx, false);
	wait_idle(s);
	for (int i = 0; i < 20; i++)
		assert_int_equal(rx_statuses(&rx, ids[i], NULL), 3);
	assert_int_equal(max_batch(), 50); /* the batch cap, reached once the backlog exists */
	sim_stop(s);
}

static void tune_skip(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->skip_delivered_rate = 1.0;
}

static void test_skip_delivered(void **state)
{
	struct sim *s = start(tune_skip);
	char ids[5][64];
	for (int i = 0; i < 5; i++)
		send_text(s, NULL, NULL, ids[i], sizeof(ids[i]));
	wait_idle(s);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(rx_statuses(&rx, ids[i], "sent"), 1);
		assert_int_equal(rx_statuses(&rx, ids[i], "delivered"), 0);
		assert_int_equal(rx_statuses(&rx, ids[i], "read"), 1);
	}
	/* Switched off at run time, delivered comes back. */
	control(s, "/_sim/config", "{\"skip_delivered_rate\":0}");
	send_text(s, NULL, NULL, ids[0], sizeof(ids[0]));
	wait_idle(s);
	assert_int_equal(rx_statuses(&rx, ids[0], "delivered"), 1);
	sim_stop(s);
}

static void test_duplicates(void **state)
{
	struct sim *s = start(NULL);
	control(s, "/_sim/config", "{\"duplicate_rate\":1.0}");
	char ids[4][64];
	for (int i = 0; i < 4; i++)
		send_text(s, NULL, NULL, ids[i], sizeof(ids[i]));
	wait_idle(s);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(rx_statuses(&rx, ids[i], "sent"), 2);
		assert_int_equal(rx_statuses(&rx, ids[i], "delivered"), 2);
		assert_int_equal(rx_statuses(&rx, ids[i], "read"), 2);
	}
	json_t *w = stats(s);
	assert_int_equal(stat(w, "scheduled"), 24);
	json_decref(w);
	sim_stop(s);
}

static void test_bsuid(void **state)
{
	struct sim *s = start(NULL);
	control(s, "/_sim/config", "{\"bsuid\":true}");
	char wamid[64];
	send_text(s, NULL, NULL, wamid, sizeof(wamid));
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	json_t *value = NULL;
	json_t *body = envelope_of(wamid, "sent", &value);
	json_t *contacts = json_object_get(value, "contacts");
	assert_int_equal(json_array_size(contacts), 1);
	json_t *c = json_array_get(contacts, 0);
	assert_string_equal(sget(c, "wa_id"), TO);
	assert_true(strncmp(sget(c, "user_id"), "US.", 3) == 0);
	assert_null(json_object_get(c, "profile")); /* what crashed other gateways' parsers */
	json_decref(body);
	sim_stop(s);
}

static void tune_shuffle(struct sim_config *cfg)
{
	tune_hold(cfg);
	cfg->shuffle = true;
}

static void test_shuffle(void **state)
{
	struct sim *s = start(tune_shuffle);
	char first[64], ids[40][64];
	rx_hold(&rx, true);
	send_text(s, NULL, NULL, first, sizeof(first));
	assert_true(rx_wait_posts(&rx, 2, WAIT_MS));
	for (int i = 0; i < 40; i++)
		send_text(s, NULL, NULL, ids[i], sizeof(ids[i]));
	wait_queued(s, 120);
	rx_hold(&rx, false);
	wait_idle(s);
	/* Out of order means some status for a later message comes before one for an earlier
	 * message. Forty messages in creation order by chance: about 1 in 40!. */
	int inversions = 0, last = -1;
	for (size_t b = 0; b < rx_count(&rx); b++) {
		json_t *body = rx_body(&rx, b);
		json_t *v = json_object_get(
		    json_array_get(
		        json_object_get(json_array_get(json_object_get(body, "entry"), 0),
		                        "changes"),
		        0),
		    "value");
		json_t *st;
		size_t k;
		json_array_foreach(json_object_get(v, "statuses"), k, st)
		{
			int at = -1;
			for (int i = 0; i < 40 && at < 0; i++)
				at = strcmp(sget(st, "id"), ids[i]) == 0 ? i : -1;
			inversions += at >= 0 && at < last;
			last = at >= 0 ? at : last;
		}
		json_decref(body);
	}
	assert_true(inversions > 0);
	sim_stop(s);
}

static void tune_sent_only(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->delivered_delay_ms = -1;
	cfg->read_delay_ms = -1;
}

static void test_retry_after_500(void **state)
{
	struct sim *s = start(tune_sent_only);
	rx_fail_next(&rx, 2);
	char wamid[64];
	send_text(s, NULL, NULL, wamid, sizeof(wamid));
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	wait_idle(s);
	assert_int_equal(rx.posts, 1 + 3); /* the inbound, two refusals, the accepted retry */
	assert_int_equal(rx_statuses(&rx, wamid, NULL), 1); /* -1 delays: nothing else */
	json_t *w = stats(s);
	assert_int_equal(stat(w, "failed"), 2);
	assert_int_equal(stat(w, "retried"), 2);
	assert_int_equal(stat(w, "gave_up"), 0);
	json_decref(w);
	sim_stop(s);
}

static void tune_tiny_queue(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->max_queue = 5;
	cfg->sent_delay_ms = 60000;
	cfg->delivered_delay_ms = 60000;
	cfg->read_delay_ms = 60000;
}

static void test_queue_bound(void **state)
{
	struct sim *s = start(tune_tiny_queue);
	char wamid[64];
	for (int i = 0; i < 4; i++)
		send_text(s, NULL, NULL, wamid, sizeof(wamid));
	json_t *w = stats(s);
	assert_int_equal(stat(w, "scheduled"), 12);
	assert_int_equal(stat(w, "in_queue"), 5);
	assert_int_equal(stat(w, "dropped"), 7);
	json_decref(w);
	sim_stop(s); /* drops what is still queued, without waiting for it */
}

static int setup(void **state)
{
	sec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_setup(NULL, LOG_LEVEL_WARN, false);
	rx_start(&rx, SECRET, "verify-me");
	return 0;
}

static int teardown(void **state)
{
	rx_stop(&rx);
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_shape), cmocka_unit_test(test_template_pricing),
	    cmocka_unit_test(test_batching),     cmocka_unit_test(test_skip_delivered),
	    cmocka_unit_test(test_duplicates),   cmocka_unit_test(test_bsuid),
	    cmocka_unit_test(test_shuffle),      cmocka_unit_test(test_retry_after_500),
	    cmocka_unit_test(test_queue_bound),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

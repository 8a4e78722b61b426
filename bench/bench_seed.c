/* Benchmark data: seeds a Pixels database through the store interface (as the server would
 * write it) and writes signed webhook bodies for the ingestion benchmark.
 *   bench_seed conversations URL EMAIL PNID N_CONV N_MSG     10k conversations, 1M messages
 *   bench_seed queue URL EMAIL PNID N                         N queued outbound messages
 *   bench_seed webhooks PNID SECRET N_BODIES PER_BODY FILE    signed status webhook bodies
 *   bench_seed rate URL PNID                                  achieved send rate of a number
 * URL is a DATABASE_URL. Never part of the server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/sec.h"
#include "core/str.h"
#include "meta/signature.h"
#include "store/store.h"

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "bench_seed: %s: %s\n", what, e ? e->message : "");
	exit(1);
}

static void account_of(struct store *s, const char *email, char *account_id)
{
	struct user_row u;
	bool found = false;
	struct err e = {0};
	if (store_user_find_by_email(s, email, &u, &found, &e) != 0 || !found)
		die("no such user", &e);
	memcpy(account_id, u.account_id, IDS_SIZE);
}

static void fill_message(struct message_row *m, const char *account, const char *conv,
                         const char *pnid, const char *phone, int64_t t, int i)
{
	memset(m, 0, sizeof(*m));
	ids_new(t, m->id);
	memcpy(m->account_id, account, IDS_SIZE);
	memcpy(m->conversation_id, conv, IDS_SIZE);
	str_copy_cstr(m->phone_number_id, sizeof(m->phone_number_id), pnid);
	str_copy_cstr(m->user_phone, sizeof(m->user_phone), phone);
	str_copy_cstr(m->type, sizeof(m->type), "text");
	m->direction = i % 2 ? MSG_DIR_IN : MSG_DIR_OUT;
	m->status = i % 2 ? MSG_STATUS_RECEIVED : MSG_STATUS_DELIVERED;
	snprintf(m->content, sizeof(m->content), "{\"text\":\"benchmark message %d\"}", i);
	snprintf(m->wa_message_id, sizeof(m->wa_message_id), "wamid.BENCH%012d", i);
	m->queued_at = m->accepted_at = m->sent_at = m->created_at = m->updated_at = t;
	m->delivered_at = i % 2 ? 0 : t;
	m->pricing_billable = -1;
}

static void seed_conversations(struct store *s, const char *account, const char *pnid, int nconv,
                               int nmsg)
{
	struct err e = {0};
	struct message_row *m = calloc(1, sizeof(*m));
	int per = nmsg / nconv;
	int64_t t0 = clock_real_ms() - (int64_t)nmsg * 10;
	for (int c = 0; c < nconv; c++) {
		if (c % 200 == 0 && ((c ? store_commit(s, &e) : 0) != 0 || store_begin(s, &e) != 0))
			die("transaction", &e);
		struct conversation_row cv = {0};
		ids_new(t0, cv.id);
		memcpy(cv.account_id, account, IDS_SIZE);
		str_copy_cstr(cv.phone_number_id, sizeof(cv.phone_number_id), pnid);
		snprintf(cv.user_phone, sizeof(cv.user_phone), "1555%07d", c);
		snprintf(cv.user_name, sizeof(cv.user_name), "Parent %d", c);
		cv.last_message_at = cv.last_inbound_at = t0 + (int64_t)(c * per + per - 1) * 10;
		str_copy_cstr(cv.last_message_preview, sizeof(cv.last_message_preview), "hello");
		str_copy_cstr(cv.last_message_type, sizeof(cv.last_message_type), "text");
		cv.created_at = cv.updated_at = t0;
		if (store_conversation_insert(s, &cv, &e) != 0)
			die("conversation insert", &e);
		for (int k = 0; k < per; k++) {
			int i = c * per + k;
			fill_message(m, account, cv.id, pnid, cv.user_phone, t0 + (int64_t)i * 10,
			             i);
			if (store_message_insert(s, m, &e) != 0)
				die("message insert", &e);
		}
	}
	if (store_commit(s, &e) != 0)
		die("commit", &e);
	free(m);
}

static void seed_queue(struct store *s, const char *account, const char *pnid, int n)
{
	struct err e = {0};
	struct message_row *m = calloc(1, sizeof(*m));
	struct conversation_row cv = {0};
	int64_t now = clock_real_ms();
	ids_new(now, cv.id);
	memcpy(cv.account_id, account, IDS_SIZE);
	str_copy_cstr(cv.phone_number_id, sizeof(cv.phone_number_id), pnid);
	snprintf(cv.user_phone, sizeof(cv.user_phone), "15999%07d", (int)(now % 1000000));
	cv.created_at = cv.updated_at = cv.last_message_at = now;
	if (store_begin(s, &e) != 0 || store_conversation_insert(s, &cv, &e) != 0)
		die("conversation", &e);
	for (int i = 0; i < n; i++) {
		fill_message(m, account, cv.id, pnid, cv.user_phone, now, i);
		m->direction = MSG_DIR_OUT;
		m->status = MSG_STATUS_QUEUED;
		m->wa_message_id[0] = '\0';
		m->accepted_at = m->sent_at = m->delivered_at = 0;
		m->next_attempt_at = now;
		snprintf(m->request, sizeof(m->request),
		         "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
		         "\"to\":\"1599%07d\",\"type\":\"text\",\"text\":{\"body\":\"bench %d\"},"
		         "\"biz_opaque_callback_data\":\"%s\"}",
		         i, i, m->id); /* one recipient each: Meta limits pairs to ~1 msg / 6 s */
		if (store_message_insert(s, m, &e) != 0)
			die("message insert", &e);
		if (i % 10000 == 9999 && (store_commit(s, &e) != 0 || store_begin(s, &e) != 0))
			die("commit", &e);
	}
	if (store_commit(s, &e) != 0)
		die("commit", &e);
	free(m);
}

/* Bodies of status webhooks for seeded messages (wamid.BENCH...), one per line, each
 * followed by a tab and its X-Hub-Signature-256 value. */
static void write_webhooks(const char *pnid, const char *secret, int bodies, int per,
                           const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write", NULL);
	static const char *const states[] = {"sent", "delivered", "read"};
	char *body = malloc(64 * 1024);
	for (int b = 0; b < bodies; b++) {
		size_t n = (size_t)snprintf(body, 4096,
		                            "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
		                            "\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
		                            "\"value\":{\"messaging_product\":\"whatsapp\","
		                            "\"metadata\":{\"display_phone_number\":\"1555\","
		                            "\"phone_number_id\":\"%s\"},\"statuses\":[",
		                            pnid);
		for (int k = 0; k < per; k++) {
			int i = (b * per + k) * 2; /* outbound messages are the even ones */
			n += (size_t)snprintf(
			    body + n, 64 * 1024 - n,
			    "%s{\"id\":\"wamid.BENCH%012d\",\"status\":\"%s\","
			    "\"timestamp\":\"%d\",\"recipient_id\":\"15550000000\"}",
			    k ? "," : "", i % 1000000, states[(b + k) % 3], 1750000000 + b);
		}
		n += (size_t)snprintf(body + n, 64 * 1024 - n, "]}}]}]}");
		char sig[80];
		meta_signature_compute(secret, body, n, sig);
		fprintf(f, "%s\t%s\n", body, sig);
	}
	free(body);
	fclose(f);
}

static struct store *open_store(const char *url)
{
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(url, &s, &e) != 0)
		die("open", &e);
	return s;
}

int main(int argc, char **argv)
{
	sec_init();
	char account[IDS_SIZE];
	if (argc == 7 && strcmp(argv[1], "conversations") == 0) {
		struct store *s = open_store(argv[2]);
		account_of(s, argv[3], account);
		seed_conversations(s, account, argv[4], (int)strtol(argv[5], NULL, 10),
		                   (int)strtol(argv[6], NULL, 10));
		store_close(s);
	} else if (argc == 6 && strcmp(argv[1], "queue") == 0) {
		struct store *s = open_store(argv[2]);
		account_of(s, argv[3], account);
		seed_queue(s, account, argv[4], (int)strtol(argv[5], NULL, 10));
		store_close(s);
	} else if (argc == 7 && strcmp(argv[1], "webhooks") == 0) {
		write_webhooks(argv[2], argv[3], (int)strtol(argv[4], NULL, 10),
		               (int)strtol(argv[5], NULL, 10), argv[6]);
	} else {
		fprintf(stderr, "usage: see the comment at the top of bench/bench_seed.c\n");
		return 2;
	}
	return 0;
}

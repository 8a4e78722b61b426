/* Retry policy; see retry.h. */
#include "queue/retry.h"

#include <stdio.h>
#include <string.h>

#include "core/sec.h"
#include "core/str.h"

#define RETRY_BASE_MS 1000
#define RETRY_MAX_MS (10 * 60 * 1000)
#define RETRY_PAIR_MS 6000

int64_t retry_backoff_ms(int attempts, int code)
{
	int n = attempts < 1 ? 0 : attempts - 1;
	int64_t base;
	if (meta_is_pair_rate_limit(code)) {
		base = RETRY_PAIR_MS;
		for (int i = 0; i < n && base < RETRY_MAX_MS; i++)
			base *= 4;
	} else {
		base = RETRY_BASE_MS;
		for (int i = 0; i < n && base < RETRY_MAX_MS; i++)
			base *= 2;
	}
	if (base > RETRY_MAX_MS)
		base = RETRY_MAX_MS;
	/* +-20 % so a burst of failures does not come back as a burst. */
	int64_t jitter = base / 5;
	return base - jitter + (int64_t)sec_random_below((uint32_t)(2 * jitter + 1));
}

static void copy_error(const struct meta_result *r, struct send_result *out)
{
	out->error_code = r->transport_error ? 0 : r->code;
	str_copy_cstr(out->error_title, sizeof(out->error_title),
	              r->transport_error ? "Network error" : r->title);
	str_copy_cstr(out->error_message, sizeof(out->error_message),
	              r->transport_error ? r->transport_text : r->message);
	str_copy_cstr(out->error_details, sizeof(out->error_details), r->details);
}

void retry_decide(const struct meta_result *r, const struct claimed_message *m, int64_t now,
                  int max_attempts, int64_t max_age_ms, struct send_result *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->account_id, m->account_id, sizeof(out->account_id));
	memcpy(out->message_id, m->id, sizeof(out->message_id));
	out->at = now;
	if (r->outcome == META_OK) {
		out->outcome = SEND_ACCEPTED;
		if (meta_graph_extract_message_id(r, out->wa_message_id,
		                                  sizeof(out->wa_message_id)) != 0) {
			out->outcome = SEND_FAILED;
			snprintf(out->error_title, sizeof(out->error_title), "Unexpected reply");
			snprintf(out->error_message, sizeof(out->error_message),
			         "Meta accepted the request but returned no message id");
		}
		return;
	}
	copy_error(r, out);
	if (r->outcome == META_FAIL) {
		out->outcome = SEND_FAILED;
		return;
	}
	out->outcome = SEND_RETRY;
	if (r->outcome == META_PAUSE_NUMBER || r->outcome == META_REAUTH) {
		out->next_attempt_at = now; /* the number's status holds it back, not time */
		return;
	}
	bool exhausted = m->attempts >= max_attempts || now - m->queued_at >= max_age_ms;
	if (exhausted) {
		out->outcome = SEND_FAILED;
		return;
	}
	out->next_attempt_at = now + retry_backoff_ms(m->attempts, r->code);
}

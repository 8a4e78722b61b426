/* Meta's error-code table (reference meta-cloud-api.md A.4) and the rules for replies without
 * a known code. Edit the table, not the callers: every send path classifies through here. */
#include "meta/errors.h"

#include <stddef.h>

struct code_rule {
	int first, last; /* inclusive range of Meta error codes */
	enum meta_outcome outcome;
};

/* Why 131049 is FAIL: Meta decided not to deliver (per-user marketing limit). Retrying within
 * the queue's backoff only hits the same limit again; a new attempt makes sense after >= 24 h,
 * which is a campaign decision for broadcasts/, not a retry of this send. */
static const struct code_rule code_rules[] = {
    {0, 0, META_REAUTH},                 /* AuthException: authentication failed */
    {190, 190, META_REAUTH},             /* access token expired or invalidated */
    {131048, 131048, META_PAUSE_NUMBER}, /* spam rate limit: number quality problem */
    {368, 368, META_PAUSE_NUMBER},       /* temporarily blocked for policy violations */
    {1, 1, META_RETRY},                  /* unknown error */
    {2, 2, META_RETRY},                  /* service temporarily unavailable */
    {4, 4, META_RETRY},                  /* application call-rate limit */
    {80007, 80007, META_RETRY},          /* WABA rate limit */
    {130429, 130429, META_RETRY},        /* throughput (messages per second) exceeded */
    {131000, 131000, META_RETRY},        /* something went wrong */
    {131056, 131056, META_RETRY},        /* pair rate limit (same recipient) */
    {3, 3, META_FAIL},                   /* capability missing */
    {10, 10, META_FAIL},                 /* permission denied */
    {200, 299, META_FAIL},               /* permission errors */
    {100, 100, META_FAIL},               /* invalid parameter */
    {131026, 131026, META_FAIL},         /* undeliverable */
    {131047, 131047, META_FAIL},         /* re-engagement: 24-hour window closed */
    {131049, 131049, META_FAIL},         /* Meta chose not to deliver; see above */
    {131050, 131050, META_FAIL},         /* user stopped marketing messages */
    {131051, 131051, META_FAIL},         /* unsupported message type */
    {131053, 131053, META_FAIL},         /* media upload/download error */
    {132000, 132000, META_FAIL},         /* template parameter count mismatch */
    {132001, 132001, META_FAIL},         /* template does not exist */
    {132015, 132015, META_FAIL},         /* template paused */
    {133010, 133010, META_FAIL},         /* phone number not registered */
};

/* Outcome for a known code; false when the code is not in the table. */
static bool lookup(int code, enum meta_outcome *out)
{
	for (size_t i = 0; i < sizeof(code_rules) / sizeof(code_rules[0]); i++) {
		if (code >= code_rules[i].first && code <= code_rules[i].last) {
			*out = code_rules[i].outcome;
			return true;
		}
	}
	return false;
}

enum meta_outcome meta_classify(int http_status, int code, bool transport_error)
{
	if (transport_error)
		return META_RETRY;
	enum meta_outcome known;
	if (code != META_CODE_NONE && lookup(code, &known))
		return known;
	if (http_status >= 200 && http_status < 300)
		return code == META_CODE_NONE ? META_OK : META_FAIL;
	/* No reply status at all, 5xx, and the two 4xx statuses that mean "later" (request
	 * timeout, too many requests) are transient; an unknown code does not change that. */
	if (http_status < 100 || http_status >= 500 || http_status == 408 || http_status == 429)
		return META_RETRY;
	return META_FAIL;
}

const char *meta_outcome_name(enum meta_outcome outcome)
{
	switch (outcome) {
	case META_OK:
		return "ok";
	case META_RETRY:
		return "retry";
	case META_FAIL:
		return "fail";
	case META_PAUSE_NUMBER:
		return "pause_number";
	case META_REAUTH:
		return "reauth";
	}
	return "unknown";
}

bool meta_is_pair_rate_limit(int code)
{
	return code == 131056;
}

bool meta_is_window_closed(int code)
{
	return code == 131047;
}

bool meta_is_opt_out(int code)
{
	return code == 131050;
}

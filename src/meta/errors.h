/* Classification of Meta's Graph API replies into what the sender should do next (OK, retry,
 * fail, pause the phone number, re-authenticate). This is the ONE place that knows Meta's error
 * codes (house-style 4); retry timing and policy live in queue/. Key on Meta's `code`, not on
 * the HTTP status, which Meta sets inconsistently (reference A.4). */
#ifndef PIXELS_META_ERRORS_H
#define PIXELS_META_ERRORS_H

#include <stdbool.h>

/* "No Meta error code": the reply carried no error envelope (0 is a real code: auth failed). */
#define META_CODE_NONE (-1)

enum meta_outcome {
	META_OK,           /* accepted by Meta */
	META_RETRY,        /* transient: try again after a backoff */
	META_FAIL,         /* permanent for this message: do not retry */
	META_PAUSE_NUMBER, /* the sending phone number is restricted: stop sending from it */
	META_REAUTH,       /* the access token is invalid or expired: a human must fix it */
};

/* Classifies one Graph API reply. http_status: the reply's status (0 when none arrived);
 * code: Meta's error.code or META_CODE_NONE; transport_error: no complete reply (connection
 * failure, timeout, reply over the size cap). A known code decides on its own; without one,
 * 2xx is OK, 5xx, 408 and 429 are RETRY and every other status is FAIL. Pure, thread-safe. */
enum meta_outcome meta_classify(int http_status, int code, bool transport_error);

/* Lower-case name for logs and JSON ("ok", "retry", "fail", "pause_number", "reauth"). */
const char *meta_outcome_name(enum meta_outcome outcome);

/* 131056: too many messages to the same recipient; retry later for THIS recipient only. */
bool meta_is_pair_rate_limit(int code);
/* 131047: more than 24 h since the user's last message; only a template can be sent. */
bool meta_is_window_closed(int code);
/* 131050: the user stopped marketing messages; record the opt-out. */
bool meta_is_opt_out(int code);

#endif

/* Retry policy, in one place: what an attempt's classified result (meta/errors) means for
 * the message. RETRY outcomes back off exponentially with jitter (1 s, 2 s, 4 s ... capped at
 * 10 minutes); a pair-rate refusal (131056) waits at least 6 s x 4^n for that recipient;
 * exhausted attempts or age turn a retry into a failure with the last error kept. */
#ifndef PIXELS_QUEUE_RETRY_H
#define PIXELS_QUEUE_RETRY_H

#include "meta/graph.h"
#include "store/store.h"

/* Fills out (outcome, next_attempt_at, error fields) for message m after result r at now.
 * Pause and reauth results become SEND_RETRY too: the message waits for its number. */
void retry_decide(const struct meta_result *r, const struct claimed_message *m, int64_t now,
                  int max_attempts, int64_t max_age_ms, struct send_result *out);
/* Backoff before attempt number attempts + 1, jitter included. */
int64_t retry_backoff_ms(int attempts, int code);

#endif

/* A counting gate around argon2id; see passwords.h. */
#include "svc/passwords.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"

#define PASSWORDS_WAIT_S 10

struct passwords {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int available;
};

struct passwords *passwords_new(int concurrency)
{
	struct passwords *p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->available = concurrency > 0 ? concurrency : 1;
	return p;
}

void passwords_free(struct passwords *p)
{
	if (!p)
		return;
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static int acquire(struct passwords *p, struct err *e)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += PASSWORDS_WAIT_S;
	pthread_mutex_lock(&p->lock);
	while (p->available == 0) {
		if (pthread_cond_timedwait(&p->freed, &p->lock, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&p->lock);
			return err_set(e, ERR_UNAVAILABLE, "SERVER_BUSY",
			               "The server is busy. Please try again in a moment.");
		}
	}
	p->available--;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static void release(struct passwords *p)
{
	pthread_mutex_lock(&p->lock);
	p->available++;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

int passwords_hash(struct passwords *p, const char *password, char out[SEC_PWHASH_MAX],
                   struct err *e)
{
	int rc = acquire(p, e);
	if (rc != 0)
		return rc;
	rc = sec_password_hash(password, strlen(password), out);
	release(p);
	if (rc != 0)
		return err_set(e, ERR_INTERNAL, "INTERNAL_ERROR", "password hashing failed");
	return 0;
}

int passwords_verify(struct passwords *p, const char *encoded, const char *password, bool *ok,
                     struct err *e)
{
	int rc = acquire(p, e);
	if (rc != 0)
		return rc;
	*ok = sec_password_verify(encoded, password, strlen(password));
	release(p);
	return 0;
}

int passwords_check_policy(const char *password, const char *field, struct err *e)
{
	size_t len = password ? strlen(password) : 0;
	if (len < PASSWORDS_MIN_LEN)
		return err_field(e, field, "must be at least %d characters", PASSWORDS_MIN_LEN);
	if (len > PASSWORDS_MAX_LEN)
		return err_field(e, field, "must be at most %d characters", PASSWORDS_MAX_LEN);
	return 0;
}

/* Password hashing with bounded concurrency: argon2id costs ~64 MiB and tens of ms per call,
 * so at most `concurrency` run at once and a flood of logins queues (up to a wait limit) instead
 * of exhausting memory. Thread-safe. */
#ifndef PIXELS_SVC_PASSWORDS_H
#define PIXELS_SVC_PASSWORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/sec.h"

#define PASSWORDS_MIN_LEN 8
#define PASSWORDS_MAX_LEN 1024

struct passwords;

struct passwords *passwords_new(int concurrency);
void passwords_free(struct passwords *p);
/* Hashes password into out. Blocks while the gate is full (up to a few seconds, then
 * ERR_UNAVAILABLE "SERVER_BUSY"); ERR_INTERNAL if hashing fails. */
int passwords_hash(struct passwords *p, const char *password, char out[SEC_PWHASH_MAX],
                   struct err *e);
/* Sets *ok. Same blocking and errors as passwords_hash. */
int passwords_verify(struct passwords *p, const char *encoded, const char *password, bool *ok,
                     struct err *e);
/* VALIDATION_ERROR naming field unless 8..1024 bytes. */
int passwords_check_policy(const char *password, const char *field, struct err *e);

#endif

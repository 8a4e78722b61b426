/* libFuzzer target for config/dotenv: any bytes as the contents of a .env file. dotenv_read
 * takes a path, so the input is written to an anonymous in-memory file (memfd) opened again
 * through /proc/self/fd; nothing touches the disk. Keys must be well-formed identifiers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/dotenv.h"
#include "fuzz.h"

/* The one memfd every input is written to (created on first use, lives for the process). */
static int env_fd = -1;
static char env_path[64];

static int on_assign(void *arg, const char *key, const char *value, int line)
{
	size_t n = strlen(key);
	FUZZ_CHECK(n > 0 && strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
	                                "0123456789") == n);
	FUZZ_CHECK(!(key[0] >= '0' && key[0] <= '9'));
	FUZZ_CHECK(strlen(value) <= DOTENV_LINE_MAX);
	FUZZ_CHECK(line > *(int *)arg && line <= DOTENV_MAX_LINES);
	*(int *)arg = line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (env_fd < 0) {
		env_fd = memfd_create("fuzz-dotenv", MFD_CLOEXEC);
		FUZZ_CHECK(env_fd >= 0);
		snprintf(env_path, sizeof(env_path), "/proc/self/fd/%d", env_fd);
	}
	FUZZ_CHECK(ftruncate(env_fd, 0) == 0);
	FUZZ_CHECK(pwrite(env_fd, data, size, 0) == (ssize_t)size);
	int last_line = 0;
	struct err e = {0};
	int rc = dotenv_read(env_path, on_assign, &last_line, &e);
	if (rc != 0)
		FUZZ_CHECK(rc == ERR_INVALID && strcmp(e.key, "CONFIG_INVALID") == 0);
	return 0;
}

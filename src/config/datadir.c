/* Data directory and secret file; see datadir.h. Creation uses link(2) rather than rename(2)
 * because link refuses to replace an existing file: the loser of a start-up race notices
 * (EEXIST) and reads the winner's secret instead of overwriting it. */
#include "config/datadir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/sec.h"
#include "core/str.h"

#define DATADIR_PATH_MAX 4096

static int unusable(struct err *e, const char *path, const char *what, int errnum)
{
	return err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE", "%s: %s: %s", path, what,
	               strerror(errnum));
}

int datadir_ensure(const char *dir, struct err *e)
{
	char path[DATADIR_PATH_MAX];
	if (dir[0] == '\0' || str_copy_cstr(path, sizeof(path), dir) != 0)
		return err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE",
		               "DATA_DIR is empty or too long");
	/* mkdir -p: create each missing prefix; "exists" is fine at every step. */
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return unusable(e, path, "cannot create directory", errno);
		*p = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return unusable(e, path, "cannot create directory", errno);
	struct stat st;
	if (stat(path, &st) != 0)
		return unusable(e, path, "cannot stat", errno);
	if (!S_ISDIR(st.st_mode))
		return unusable(e, path, "not a directory", ENOTDIR);
	return 0;
}

static bool is_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

/* Reads an existing secret file into out (DATADIR_SECRET_HEX + 1 bytes); *found is false
 * (and 0 returned) when there is none. */
static int read_secret(const char *path, char *out, bool *found, struct err *e)
{
	*found = false;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : unusable(e, path, "cannot open", errno);
	char buf[DATADIR_SECRET_HEX + 8];
	int rc = 0;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		rc = unusable(e, path, "cannot stat", errno);
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = unusable(e, path, "not a regular file", EINVAL);
		goto cleanup;
	}
	if ((st.st_mode & 077) != 0) {
		if (fchmod(fd, 0600) != 0) {
			rc = unusable(e, path, "readable by other users and cannot chmod 0600",
			              errno);
			goto cleanup;
		}
		log_warn("pixels:config",
		         "%s was readable by other users (mode %04o): changed it to 0600", path,
		         (unsigned)(st.st_mode & 0777));
	}
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		rc = unusable(e, path, "cannot read", errno);
		goto cleanup;
	}
	/* One trailing newline is allowed, so a secret written by hand with echo works. */
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n != DATADIR_SECRET_HEX || !is_hex(buf, (size_t)n)) {
		rc = err_set(
		    e, ERR_INTERNAL, "DATA_DIR_UNUSABLE",
		    "%s: expected exactly 64 hexadecimal characters; fix the file, or delete it "
		    "to generate a new secret (this signs everybody out)",
		    path);
		goto cleanup;
	}
	memcpy(out, buf, DATADIR_SECRET_HEX);
	out[DATADIR_SECRET_HEX] = '\0';
	*found = true;
cleanup:
	sec_zero(buf, sizeof(buf));
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes secret (plus newline) to a new file tmp with mode 0600 and fsyncs it. */
static int write_temp(const char *tmp, const char *secret, struct err *e)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return unusable(e, tmp, "cannot create", errno);
	char line[DATADIR_SECRET_HEX + 1];
	memcpy(line, secret, DATADIR_SECRET_HEX);
	line[DATADIR_SECRET_HEX] = '\n';
	int rc = 0;
	if (write_all(fd, line, sizeof(line)) != 0 || fsync(fd) != 0)
		rc = unusable(e, tmp, "cannot write", errno);
	sec_zero(line, sizeof(line));
	if (close(fd) != 0 && rc == 0)
		rc = unusable(e, tmp, "cannot write", errno);
	return rc;
}

/* Makes the directory entry durable; failure here only weakens crash safety, so it is
 * ignored. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Publishes tmp as path; *lost is set when somebody else published first. */
static int publish(const char *tmp, const char *path, bool *lost, struct err *e)
{
	*lost = false;
	if (link(tmp, path) == 0)
		return 0;
	if (errno == EEXIST) {
		*lost = true;
		return 0;
	}
	/* File systems without hard links: rename is still atomic for readers, but a concurrent
	 * starter could replace the file; such setups rarely start two servers at once. */
	if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS || errno == EMLINK) {
		if (rename(tmp, path) == 0)
			return 0;
	}
	return unusable(e, path, "cannot create", errno);
}

/* Creates path with a new secret; *created stays false when another process was first. */
static int create_secret(const char *dir, const char *path, char *out, bool *created, struct err *e)
{
	bool lost = false;
	char suffix[17];
	char tmp[DATADIR_PATH_MAX];
	char secret[DATADIR_SECRET_HEX + 1];
	sec_random_hex(8, suffix);
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld.%s", path, (long)getpid(), suffix);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE",
		               "DATA_DIR path is too long: %s", dir);
	sec_random_hex(DATADIR_SECRET_HEX / 2, secret);
	int rc = write_temp(tmp, secret, e);
	if (rc == 0)
		rc = publish(tmp, path, &lost, e);
	unlink(tmp);
	if (rc == 0 && !lost) {
		sync_dir(dir);
		memcpy(out, secret, sizeof(secret));
		*created = true;
	}
	sec_zero(secret, sizeof(secret));
	return rc;
}

int datadir_load_secret(const char *dir, const char *name, char *out, size_t cap, bool *created,
                        struct err *e)
{
	char path[DATADIR_PATH_MAX];
	*created = false;
	if (cap <= DATADIR_SECRET_HEX)
		return err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE", "secret buffer too small");
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n + 64 >= sizeof(path))
		return err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE", "%s: path too long", dir);
	bool found;
	int rc = read_secret(path, out, &found, e);
	if (rc != 0 || found)
		return rc;
	rc = create_secret(dir, path, out, created, e);
	if (rc != 0 || *created)
		return rc;
	/* Another process linked its secret first: use that one. */
	rc = read_secret(path, out, &found, e);
	if (rc == 0 && !found)
		rc = unusable(e, path, "removed while being created", ENOENT);
	return rc;
}

/* Media download; see media.h. The token travels only in the Authorization header. */
#include "meta/media.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "core/str.h"

struct sink {
	struct buf *out;
	int too_large;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	if (buf_append(s->out, ptr, size * nmemb) != 0) {
		s->too_large = 1;
		return 0; /* aborts the transfer */
	}
	return size * nmemb;
}

int meta_media_download(const char *url, const char *token, long timeout_ms, struct buf *out,
                        char *content_type, size_t cap, struct err *e)
{
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return err_set(e, ERR_UPSTREAM, "MEDIA_DOWNLOAD_FAILED",
		               "Meta gave no usable media URL");
	CURL *h = curl_easy_init();
	char auth[1024];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct curl_slist *hdr = curl_slist_append(NULL, auth);
	struct sink s = {out, 0};
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	char *ct = NULL;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
	str_copy_cstr(content_type, cap, ct ? ct : "application/octet-stream");
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	memset(auth, 0, sizeof(auth));
	if (s.too_large)
		return err_set(e, ERR_UPSTREAM, "MEDIA_TOO_LARGE",
		               "The media is larger than %zu bytes", out->max);
	if (rc != CURLE_OK || status < 200 || status >= 300)
		return err_set(e, ERR_UPSTREAM, "MEDIA_DOWNLOAD_FAILED",
		               "Downloading the media failed (%s)",
		               rc != CURLE_OK ? curl_easy_strerror(rc) : "Meta refused it");
	return 0;
}

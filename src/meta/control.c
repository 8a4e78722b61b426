/* The simulator control calls; see control.h. One synchronous libcurl request; the reply body
 * is ignored (discarded by the write callback). */
#include "meta/control.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/jsonw.h"

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * n;
}

int meta_sim_register_number(const char *base_url, const char *phone_number_id, const char *waba_id,
                             const char *display_phone, const char *verified_name, struct err *e)
{
	char url[1024];
	size_t n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	snprintf(url, sizeof(url), "%.*s/_sim/numbers", (int)n, base_url);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "phone_number_id", phone_number_id, "waba_id",
	                      waba_id, "display_phone_number", display_phone, "verified_name",
	                      verified_name);
	char *body = jsonw_dump(o, NULL);
	json_decref(o);
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	long status = 0;
	CURLcode rc = CURLE_FAILED_INIT;
	if (h && hdr && body) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	}
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	free(body);
	if (rc != CURLE_OK || status < 200 || status > 299)
		return err_set(e, ERR_UPSTREAM, "SIMULATOR_UNREACHABLE",
		               "the simulator did not register the sandbox number (%s, HTTP %ld)",
		               curl_easy_strerror(rc), status);
	return 0;
}

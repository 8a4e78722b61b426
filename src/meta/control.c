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

/* POSTs o (taken) to base_url + path; what names the call in the error. */
static int post_json(const char *base_url, const char *path, json_t *o, const char *what,
                     struct err *e)
{
	char url[1024];
	size_t n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	snprintf(url, sizeof(url), "%.*s%s", (int)n, base_url, path);
	char *body = o ? jsonw_dump(o, NULL) : NULL;
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
		               "the simulator did not %s (%s, HTTP %ld)", what,
		               curl_easy_strerror(rc), status);
	return 0;
}

int meta_sim_register_number(const char *base_url, const char *phone_number_id, const char *waba_id,
                             const char *display_phone, const char *verified_name, struct err *e)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "phone_number_id", phone_number_id, "waba_id",
	                      waba_id, "display_phone_number", display_phone, "verified_name",
	                      verified_name);
	return post_json(base_url, "/_sim/numbers", o, "register the sandbox number", e);
}

int meta_sim_import_template(const char *base_url, const char *waba_id, const char *id,
                             const char *name, const char *language, const char *category,
                             const char *components, const char *status, struct err *e)
{
	json_t *comps = json_loads(components, 0, NULL);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "waba_id", waba_id, "id", id,
	                      "name", name, "language", language, "category", category,
	                      "components", comps ? comps : json_array(), "status", status);
	return post_json(base_url, "/_sim/templates/import", o, "import a template", e);
}

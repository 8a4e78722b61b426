/* libFuzzer target for meta/webhook: any bytes as a webhook POST body. Every callback reads
 * every string of its event (the header promises non-NULL, NUL-terminated, valid during the
 * call), so AddressSanitizer sees a dangling or NULL field; the preview's documented shape
 * (one line, at most 200 bytes) and the raw JSON length are checked too. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "meta/webhook.h"

#define PREVIEW_MAX_BYTES 200

/* Reads the whole string; strlen faults on NULL or freed memory under ASan. */
static size_t touch(const char *s)
{
	FUZZ_CHECK(s != NULL);
	return strlen(s);
}

static void touch_error(const struct meta_event_error *err)
{
	FUZZ_CHECK(err->count >= 0);
	touch(err->title);
	touch(err->message);
	touch(err->details);
}

static void on_status(void *arg, const struct meta_status_event *ev)
{
	const char *const fields[] = {
	    ev->waba_id,           ev->phone_number_id, ev->display_phone,
	    ev->wa_message_id,     ev->status,          ev->recipient_id,
	    ev->recipient_user_id, ev->conversation_id, ev->conversation_origin,
	    ev->pricing_category,  ev->pricing_model,   ev->biz_opaque_callback_data};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		touch(fields[i]);
	FUZZ_CHECK(ev->timestamp >= 0);
	touch_error(&ev->error);
	(*(size_t *)arg)++;
}

static void check_preview(const char *preview)
{
	size_t len = touch(preview);
	FUZZ_CHECK(len <= PREVIEW_MAX_BYTES);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK((unsigned char)preview[i] >= 0x20 && preview[i] != 0x7F);
	/* Cut on a character boundary: never ends inside a multi-byte sequence. */
	size_t cont = 0;
	while (cont < len && ((unsigned char)preview[len - 1 - cont] & 0xC0) == 0x80)
		cont++;
	if (cont > 0) {
		FUZZ_CHECK(cont < len && cont <= 3);
		unsigned char lead = (unsigned char)preview[len - 1 - cont];
		size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
		FUZZ_CHECK(lead >= 0xC0 && cont == need);
	} else if (len > 0) {
		FUZZ_CHECK((unsigned char)preview[len - 1] < 0xC0);
	}
}

static void on_message(void *arg, const struct meta_inbound_message *m)
{
	const char *const fields[] = {
	    m->waba_id,        m->phone_number_id,    m->display_phone,       m->from,
	    m->user_id,        m->profile_name,       m->wa_message_id,       m->type,
	    m->text,           m->media.id,           m->media.mime_type,     m->media.sha256,
	    m->media.caption,  m->media.filename,     m->location.name,       m->location.address,
	    m->interactive_id, m->context_message_id, m->reaction_message_id,
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		touch(fields[i]);
	FUZZ_CHECK(m->timestamp >= 0);
	touch_error(&m->error);
	FUZZ_CHECK(touch(m->raw) == m->raw_len);
	check_preview(m->preview);
	(*(size_t *)arg)++;
}

static void on_template(void *arg, const struct meta_template_event *ev)
{
	const char *const fields[] = {ev->waba_id, ev->event,    ev->message_template_id,
	                              ev->name,    ev->language, ev->reason,
	                              ev->category};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		touch(fields[i]);
	(*(size_t *)arg)++;
}

static void on_value_error(void *arg, const struct meta_value_error *ev)
{
	touch(ev->waba_id);
	touch(ev->phone_number_id);
	touch(ev->title);
	touch(ev->message);
	touch(ev->details);
	(*(size_t *)arg)++;
}

static void on_other(void *arg, const char *field)
{
	FUZZ_CHECK(touch(field) > 0);
	(*(size_t *)arg)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t events = 0;
	struct meta_webhook_handler h = {
	    .status = on_status,
	    .message = on_message,
	    .template_status = on_template,
	    .value_error = on_value_error,
	    .other = on_other,
	    .arg = &events,
	};
	struct err e = {0};
	int rc = meta_webhook_parse((const char *)data, size, &h, &e);
	FUZZ_CHECK(events <= META_WEBHOOK_MAX_EVENTS);
	if (rc != 0)
		FUZZ_CHECK(events == 0 && e.code == ERR_INVALID);
	/* Validation only: no handler at all must be fine as well. */
	struct err e2 = {0};
	FUZZ_CHECK(meta_webhook_parse((const char *)data, size, NULL, &e2) == rc);
	return 0;
}

#include "core/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>

#include "core/json.h"

#define KEY_WIDTH 20

void kj_report_begin(struct kj_report *r, FILE *out, bool json)
{
	*r = (struct kj_report){ .out = out, .json = json, .first = true };
	if (json)
		fputc('{', out);
}

static void end_line(struct kj_report *r)
{
	if (r->line_open)
		fputc('\n', r->out);
	r->line_open = false;
}

static void key(struct kj_report *r, const char *k)
{
	if (r->json) {
		if (!r->first)
			fputc(',', r->out);
		r->first = false;
		kj_json_string(r->out, k);
		fputc(':', r->out);
	} else if (r->in_item) {
		/* Text list items: "key=value" pairs on the item's line. */
		fprintf(r->out, "%s%s=", r->first ? "" : " ", k);
		r->first = false;
	} else {
		end_line(r);
		fprintf(r->out, "%-*s", KEY_WIDTH, k);
		r->line_open = true;
	}
}

void kj_report_raw(struct kj_report *r,
		   void (*fn)(void *ctx, FILE *out, bool json), void *ctx)
{
	if (r->json) {
		if (!r->first)
			fputc(',', r->out);
		r->first = false;
	} else {
		end_line(r);
	}
	fn(ctx, r->out, r->json);
}

void kj_report_str(struct kj_report *r, const char *k, const char *value)
{
	key(r, k);
	if (r->json)
		kj_json_string(r->out, value);
	else
		fputs(value ? value : "(none)", r->out);
}

void kj_report_uint(struct kj_report *r, const char *k, uint64_t value)
{
	key(r, k);
	fprintf(r->out, "%" PRIu64, value);
}

void kj_report_hex(struct kj_report *r, const char *k, uint64_t value)
{
	key(r, k);
	fprintf(r->out, r->json ? "%" PRIu64 : "0x%" PRIx64, value);
}

void kj_report_bool(struct kj_report *r, const char *k, bool value)
{
	key(r, k);
	fputs(r->json ? (value ? "true" : "false") : (value ? "yes" : "no"),
	      r->out);
}

void kj_report_note(struct kj_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->json)
		return;
	fputs(" (", r->out);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc(')', r->out);
}

void kj_report_list_begin(struct kj_report *r, const char *k)
{
	if (r->json) {
		key(r, k);
		fputc('[', r->out);
		r->first = true;
	} else {
		end_line(r);
	}
	r->list_key = k;
	r->list_items = 0;
}

void kj_report_item_begin(struct kj_report *r)
{
	if (r->json) {
		if (r->list_items)
			fputc(',', r->out);
		fputc('{', r->out);
	} else {
		fprintf(r->out, "%-*s", KEY_WIDTH,
			r->list_items ? "" : r->list_key);
	}
	r->list_items++;
	r->in_item = true;
	r->first = true;
}

void kj_report_item_end(struct kj_report *r)
{
	fputc(r->json ? '}' : '\n', r->out);
	r->in_item = false;
}

void kj_report_list_end(struct kj_report *r)
{
	if (r->json)
		fputc(']', r->out);
	else if (!r->list_items)
		fprintf(r->out, "%-*s(none)\n", KEY_WIDTH, r->list_key);
	r->list_key = NULL;
	r->first = false;
}

int kj_report_end(struct kj_report *r)
{
	if (r->json)
		fputs("}\n", r->out);
	else
		end_line(r);
	return ferror(r->out) ? -EIO : 0;
}

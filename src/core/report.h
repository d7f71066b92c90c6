/* One writer for the fields `kjump inspect` shows: aligned "key  value"
 * lines for people, or one JSON object for scripts (--json), from the
 * same calls, so the two forms cannot drift. Notes are text-only
 * explanations after a value ("0x2000 (8 KiB)"). */
#ifndef KJ_CORE_REPORT_H
#define KJ_CORE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kj_report {
	FILE *out;
	bool json;
	bool line_open;       /* text: a value waits for its newline */
	bool first;           /* no separator before the next field */
	bool in_item;         /* inside a list item */
	const char *list_key; /* the open list, NULL when none */
	unsigned list_items;
};

void kj_report_begin(struct kj_report *r, FILE *out, bool json);
/* Close everything and end the output with a newline; 0 or -EIO. */
int kj_report_end(struct kj_report *r);

void kj_report_str(struct kj_report *r, const char *key, const char *value);
void kj_report_uint(struct kj_report *r, const char *key, uint64_t value);
/* A number people read in hex ("0x1000"); JSON keeps it a number. */
void kj_report_hex(struct kj_report *r, const char *key, uint64_t value);
void kj_report_bool(struct kj_report *r, const char *key, bool value);
/* Text only: " (note)" after the value just written. */
void kj_report_note(struct kj_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Output another writer made for the same form: text lines of its own
 * ("key<pad>value\n"), or JSON members without braces. fn is called at
 * a field boundary; what follows continues the same object. */
void kj_report_raw(struct kj_report *r,
		   void (*fn)(void *ctx, FILE *out, bool json), void *ctx);

/* A list of flat objects ("segments": [...]); in text each object is
 * one line of "key=value" pairs under the list's key. Lists do not nest. */
void kj_report_list_begin(struct kj_report *r, const char *key);
void kj_report_item_begin(struct kj_report *r);
void kj_report_item_end(struct kj_report *r);
void kj_report_list_end(struct kj_report *r);

#endif

/* Turning the bytes a terminal sends into keys.
 *
 * A serial console sends arrow keys as escape sequences (ESC [ A, or
 * ESC O A in application mode), Enter as CR, CR LF or LF, and Backspace as
 * DEL or BS. The decoder is fed one byte at a time; a lone ESC becomes a
 * key only when the caller sees no more input (kj_keydec_flush). */
#ifndef KJ_BOOT_MENU_KEYS_H
#define KJ_BOOT_MENU_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum kj_key {
	KJ_KEY_NONE = -1, /* no complete key yet */
	/* 0..255: the byte itself (printable characters) */
	KJ_KEY_UP = 256,
	KJ_KEY_DOWN,
	KJ_KEY_LEFT,
	KJ_KEY_RIGHT,
	KJ_KEY_HOME,
	KJ_KEY_END,
	KJ_KEY_DELETE,
	KJ_KEY_BACKSPACE,
	KJ_KEY_ENTER,
	KJ_KEY_ESC,
	KJ_KEY_INTERRUPT, /* Ctrl-C */
	KJ_KEY_UNKNOWN,	  /* a sequence or control byte we do not use */
};

#define KJ_KEYDEC_MAX 8 /* longest escape sequence kept */

struct kj_keydec {
	unsigned char seq[KJ_KEYDEC_MAX];
	size_t n;
	bool after_cr; /* swallow the LF of a CR LF pair */
};

void kj_keydec_init(struct kj_keydec *d);

/* Feed one byte; returns a key, or KJ_KEY_NONE while a sequence is
 * incomplete. */
int kj_keydec_feed(struct kj_keydec *d, unsigned char byte);

/* No more bytes came in time: a pending lone ESC becomes KJ_KEY_ESC, a
 * truncated sequence KJ_KEY_UNKNOWN; KJ_KEY_NONE when nothing pends. */
int kj_keydec_flush(struct kj_keydec *d);

/* Is a sequence pending (the caller should wait a little for more)? */
bool kj_keydec_pending(const struct kj_keydec *d);

#endif

/* The console the menu runs on: raw key input with timeouts, and whether
 * ANSI highlighting may be used (only on a tty whose TERM says so: a dumb
 * serial console gets plain lines). */
#ifndef KJ_BOOT_MENU_TERM_H
#define KJ_BOOT_MENU_TERM_H

#include <stdbool.h>
#include <termios.h>

#include "boot/menu_keys.h"

struct kj_term {
	int in;
	bool ansi;
	bool raw; /* termios changed, to restore */
	bool eof; /* input closed: only the countdown can act */
	struct termios saved;
	struct kj_keydec dec;
};

/* Does TERM name a terminal that understands ANSI escapes? */
bool kj_term_is_ansi(const char *term);

/* Take the input fd into raw mode (no echo, byte at a time); out_tty
 * says whether output is a tty (for the ANSI decision). */
void kj_term_open(struct kj_term *t, int in, bool out_tty);

/* Restore the input's mode (before a shell or the next kernel). */
void kj_term_close(struct kj_term *t);

/* The next key within timeout_ms (-1: wait for one), KJ_KEY_NONE when
 * none came. */
int kj_term_key(struct kj_term *t, long timeout_ms);

#endif

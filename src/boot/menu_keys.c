#include "boot/menu_keys.h"

#include <string.h>

void kj_keydec_init(struct kj_keydec *d)
{
	memset(d, 0, sizeof(*d));
}

bool kj_keydec_pending(const struct kj_keydec *d)
{
	return d->n > 0;
}

/* The final byte of ESC [ ... or ESC O ...: what key it names. */
static int csi_key(const unsigned char *seq, size_t n)
{
	unsigned char fin = seq[n - 1];
	int num = 0;

	switch (fin) {
	case 'A':
		return KJ_KEY_UP;
	case 'B':
		return KJ_KEY_DOWN;
	case 'C':
		return KJ_KEY_RIGHT;
	case 'D':
		return KJ_KEY_LEFT;
	case 'H':
		return KJ_KEY_HOME;
	case 'F':
		return KJ_KEY_END;
	case '~':
		/* ESC [ N ~: vt220 editing keys (1/7 home, 4/8 end, 3 del) */
		for (size_t i = 2; i + 1 < n; i++) {
			if (seq[i] < '0' || seq[i] > '9')
				break;
			num = num * 10 + (seq[i] - '0');
		}
		if (num == 1 || num == 7)
			return KJ_KEY_HOME;
		if (num == 4 || num == 8)
			return KJ_KEY_END;
		if (num == 3)
			return KJ_KEY_DELETE;
		return KJ_KEY_UNKNOWN;
	}
	return KJ_KEY_UNKNOWN;
}

static int feed_seq(struct kj_keydec *d, unsigned char byte)
{
	int key;

	d->seq[d->n++] = byte;
	if (d->n == 2) {
		if (byte == '[' || byte == 'O')
			return KJ_KEY_NONE;
		/* ESC followed by something else: Alt-key; not ours. */
		d->n = 0;
		return KJ_KEY_UNKNOWN;
	}
	/* Parameters and intermediates continue the sequence; a byte in
	 * 0x40..0x7e ends it (ECMA-48). ESC O takes exactly one more. */
	if (d->seq[1] == '[' && byte >= 0x20 && byte < 0x40) {
		if (d->n < KJ_KEYDEC_MAX)
			return KJ_KEY_NONE;
		d->n = 0;
		return KJ_KEY_UNKNOWN;
	}
	key = byte >= 0x40 && byte <= 0x7e ? csi_key(d->seq, d->n)
					   : KJ_KEY_UNKNOWN;
	d->n = 0;
	return key;
}

int kj_keydec_feed(struct kj_keydec *d, unsigned char byte)
{
	bool after_cr = d->after_cr;

	d->after_cr = false;
	if (d->n > 0) {
		if (byte == 0x1b) {
			/* A new ESC aborts the pending sequence. */
			d->n = 1;
			d->seq[0] = byte;
			return KJ_KEY_UNKNOWN;
		}
		return feed_seq(d, byte);
	}
	switch (byte) {
	case 0x1b:
		d->seq[0] = byte;
		d->n = 1;
		return KJ_KEY_NONE;
	case '\r':
		d->after_cr = true;
		return KJ_KEY_ENTER;
	case '\n':
		return after_cr ? KJ_KEY_NONE : KJ_KEY_ENTER;
	case 0x7f:
	case 0x08:
		return KJ_KEY_BACKSPACE;
	case 0x01: /* Ctrl-A, Ctrl-E: home and end, as in a shell */
		return KJ_KEY_HOME;
	case 0x05:
		return KJ_KEY_END;
	case 0x03:
		return KJ_KEY_INTERRUPT;
	}
	if (byte < 0x20)
		return KJ_KEY_UNKNOWN;
	return byte;
}

int kj_keydec_flush(struct kj_keydec *d)
{
	size_t n = d->n;

	d->n = 0;
	if (n == 0)
		return KJ_KEY_NONE;
	return n == 1 ? KJ_KEY_ESC : KJ_KEY_UNKNOWN;
}

#include "boot/menu_term.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long the rest of an escape sequence may take: a 9600 baud line
 * needs ~1 ms a byte; people type slower than this. */
#define ESC_WAIT_MS 80

bool kj_term_is_ansi(const char *term)
{
	static const char *const ok[] = {
		"linux",     "vt100", "vt102", "vt220",	  "xterm", "screen",
		"tmux",	     "rxvt",  "ansi",  "konsole", "putty", "st",
		"alacritty", "foot",  "kitty", NULL
	};

	if (!term || !*term)
		return false;
	for (size_t i = 0; ok[i]; i++) {
		size_t n = strlen(ok[i]);

		if (!strncmp(term, ok[i], n) &&
		    (term[n] == '\0' || term[n] == '-'))
			return true;
	}
	return false;
}

void kj_term_open(struct kj_term *t, int in, bool out_tty)
{
	struct termios raw;
	const char *term = getenv("TERM");

	memset(t, 0, sizeof(*t));
	t->in = in;
	kj_keydec_init(&t->dec);
	t->ansi = out_tty && kj_term_is_ansi(term);
	if (tcgetattr(in, &t->saved) < 0)
		return;
	raw = t->saved;
	/* Keys as bytes, no echo, CR stays CR (the decoder knows Enter);
	 * output processing stays on so "\n" still means a new line. */
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in, TCSANOW, &raw) == 0)
		t->raw = true;
}

void kj_term_close(struct kj_term *t)
{
	if (t->raw)
		tcsetattr(t->in, TCSANOW, &t->saved);
	t->raw = false;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int kj_term_key(struct kj_term *t, long timeout_ms)
{
	long long end = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;

	for (;;) {
		struct pollfd p = { .fd = t->in, .events = POLLIN };
		long wait = -1;
		unsigned char c;
		ssize_t n;
		int key, r;

		if (end >= 0) {
			long long left = end - now_ms();

			wait = left > 0 ? (long)left : 0;
		}
		if (kj_keydec_pending(&t->dec) &&
		    (wait < 0 || wait > ESC_WAIT_MS))
			wait = ESC_WAIT_MS;
		if (t->eof) {
			/* Nobody can type: just let the time pass. */
			if (wait < 0)
				wait = 1000;
			poll(NULL, 0, (int)wait);
			return KJ_KEY_NONE;
		}
		r = poll(&p, 1, (int)wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			key = kj_keydec_flush(&t->dec);
			if (key != KJ_KEY_NONE)
				return key;
			if (end >= 0 && now_ms() >= end)
				return KJ_KEY_NONE;
			continue;
		}
		n = read(t->in, &c, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			t->eof = true;
			continue;
		}
		key = kj_keydec_feed(&t->dec, c);
		if (key != KJ_KEY_NONE)
			return key;
	}
}

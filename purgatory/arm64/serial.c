/* PL011 output and a printf subset (%s %c %u %x %lu %lx %%, with an
 * optional zero-padded width) for the purgatory's progress lines.
 *
 * The UART is used as the running kernel left it (baud rate and line
 * settings belong to whoever set it up): only the data register and the
 * "transmit FIFO full" flag are touched. */
#include <stdarg.h>

#include "purg.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_TXFF (1u << 5)

static volatile uint32_t *uart;
static int stuck; /* the UART stopped draining: stop printing */

void kj_serial_init(uint64_t base)
{
	uart = (volatile uint32_t *)(uintptr_t)base;
}

int kj_serial_ready(void)
{
	return uart != 0;
}

static void putc_raw(char c)
{
	/* Bounded wait (a character takes ~87 us at 115200 baud; this is
	 * far more): a wedged UART must not hang the jump. */
	unsigned int spin = 1u << 20;

	while (uart[UARTFR / 4] & FR_TXFF)
		if (!--spin) {
			stuck = 1;
			return;
		}
	uart[UARTDR / 4] = (uint8_t)c;
}

static void put(char c)
{
	if (!uart || stuck)
		return;
	if (c == '\n')
		putc_raw('\r');
	putc_raw(c);
}

static void put_num(uint64_t v, unsigned int base, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		put('0');
	while (n)
		put(tmp[--n]);
}

void kj_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		const char *s;

		if (*fmt != '%') {
			put(*fmt);
			continue;
		}
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); *s; s++)
				put(*s);
			break;
		case 'c':
			put((char)va_arg(ap, int));
			break;
		case 'u':
		case 'x':
			put_num(lng ? va_arg(ap, unsigned long)
				    : va_arg(ap, unsigned int),
				*fmt == 'u' ? 10 : 16, width);
			break;
		case '%':
			put('%');
			break;
		default:
			/* Unknown conversion: stop rather than misread args. */
			va_end(ap);
			return;
		}
	}
	va_end(ap);
}

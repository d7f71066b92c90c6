/* 16550 UART output (and the VGA screen's, vga.c) and a printf subset (%s %c %u %x %lu %lx %%, with
 * an optional zero-padded width) for the purgatory's progress lines. */
#include <stdarg.h>

#include "purg.h"

static uint16_t com;
static int stuck;	/* the UART stopped draining: stop printing */

void kj_serial_init(uint16_t port, uint32_t baud)
{
	uint32_t div = baud ? 115200 / baud : 1;

	if (!div)
		div = 1;
	com = port;
	outb(com + 1, 0x00);		/* no interrupts */
	outb(com + 3, 0x80);		/* DLAB on */
	outb(com + 0, div & 0xff);
	outb(com + 1, (div >> 8) & 0xff);
	outb(com + 3, 0x03);		/* 8N1, DLAB off */
	outb(com + 2, 0xc7);		/* FIFO on and cleared */
	outb(com + 4, 0x03);		/* DTR, RTS; OUT2 off: no IRQ */
}

int kj_serial_ready(void)
{
	return com != 0;
}

static void putc_raw(char c)
{
	/* Bounded wait (a character takes ~1 ms at 9600 baud; this is tens
	 * of ms): a wedged UART must not hang the jump. An absent one reads
	 * 0xff, i.e. "ready", and costs nothing. */
	unsigned int spin = 1u << 16;

	while (!(inb(com + 5) & 0x20))
		if (!--spin) {
			stuck = 1;
			return;
		}
	outb(com, (uint8_t)c);
}

static void put(char c)
{
	if (kj_vga_ready())
		kj_vga_putc(c);
	if (!com || stuck)
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

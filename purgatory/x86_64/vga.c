/* The VGA text screen: progress output (--console-vga) and a reset to
 * the standard 80x25 colour text mode (--reset-vga), for machines whose
 * next kernel or payload expects the screen a BIOS would leave. */
#include "purg.h"

#define TEXT_BUFFER 0xb8000u
#define COLS 80
#define ROWS 25
#define BLANK 0x0720 /* a space, light grey on black */

static volatile uint16_t *screen;
static int row, col;

void kj_vga_init(void)
{
	int i;

	screen = (volatile uint16_t *)(uintptr_t)TEXT_BUFFER;
	for (i = 0; i < COLS * ROWS; i++)
		screen[i] = BLANK;
	row = col = 0;
}

int kj_vga_ready(void)
{
	return screen != 0;
}

static void scroll(void)
{
	int i;

	for (i = 0; i < COLS * (ROWS - 1); i++)
		screen[i] = screen[i + COLS];
	for (; i < COLS * ROWS; i++)
		screen[i] = BLANK;
	row = ROWS - 1;
}

void kj_vga_putc(char c)
{
	if (!screen || c == '\r')
		return;
	if (c == '\n') {
		col = 0;
		if (++row == ROWS)
			scroll();
		return;
	}
	screen[row * COLS + col] = (uint16_t)(0x0700 | (uint8_t)c);
	if (++col == COLS) {
		col = 0;
		if (++row == ROWS)
			scroll();
	}
}

/* Mode 3 (80x25 text, 720x400, colour) register values, by register
 * group, as every VGA-compatible adapter documents them. */
static const uint8_t seq[] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
static const uint8_t crtc[] = { 0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf,
				0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00,
				0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f,
				0x96, 0xb9, 0xa3, 0xff };
static const uint8_t gfx[] = { 0x00, 0x00, 0x00, 0x00, 0x00,
			       0x10, 0x0e, 0x00, 0xff };
static const uint8_t attr[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14,
				0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d,
				0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00 };

static void indexed(uint16_t port, const uint8_t *v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		outb(port, (uint8_t)i);
		outb(port + 1, v[i]);
	}
}

void kj_vga_reset(void)
{
	unsigned i;

	outb(0x3c2, 0x67); /* colour, 28 MHz clock, RAM on */
	outb(0x3c4, 0x00); /* sequencer: synchronous reset */
	outb(0x3c5, 0x01);
	indexed(0x3c4, seq, sizeof(seq)); /* index 0 last: run */
	outb(0x3c4, 0x00);
	outb(0x3c5, seq[0]);
	outb(0x3d4, 0x11); /* unprotect CRTC 0-7 */
	outb(0x3d5, inb(0x3d5) & 0x7f);
	indexed(0x3d4, crtc, sizeof(crtc));
	indexed(0x3ce, gfx, sizeof(gfx));
	for (i = 0; i < sizeof(attr); i++) {
		(void)inb(0x3da); /* attribute flip-flop to "index" */
		outb(0x3c0, (uint8_t)i);
		outb(0x3c0, attr[i]);
	}
	(void)inb(0x3da);
	outb(0x3c0, 0x20); /* palette done: display on */
}

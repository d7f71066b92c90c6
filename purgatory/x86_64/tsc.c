/* Calibrate the TSC against PIT channel 2 (the same trick early Linux
 * uses): count TSC ticks during a 10 ms one-shot of the PIT. Only done
 * when progress is printed; the result is approximate under emulation. */
#include "purg.h"

#define PIT_HZ 1193182u
#define CAL_MS 10u

uint64_t kj_tsc_per_ms(void)
{
	uint32_t latch = PIT_HZ / (1000u / CAL_MS);
	unsigned int spin = 1u << 26, polls = 0;
	uint64_t t0, t1;
	uint8_t gate;

	/* Gate channel 2 on, speaker off. */
	gate = inb(0x61);
	outb(0x61, (gate & ~0x02) | 0x01);
	/* Channel 2, lo/hi byte, mode 0 (interrupt on terminal count). */
	outb(0x43, 0xb0);
	outb(0x42, latch & 0xff);
	outb(0x42, (latch >> 8) & 0xff);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20) && --spin)
		polls++;
	t1 = rdtsc();
	outb(0x61, gate);
	/* No PIT at all reads 0xff: "done" at once. 10 ms is thousands of
	 * port reads, so a handful means there was nothing to time. */
	if (!spin || polls < 16 || t1 <= t0)
		return 0;
	return (t1 - t0) / CAL_MS;
}

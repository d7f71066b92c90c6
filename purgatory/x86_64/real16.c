/* Getting ready for KJ_ENTRY_REAL16 (realmode.S does the switch): check
 * the blob can run in real mode, say where it goes, and put back the
 * BIOS-era interrupt controller and timer settings real-mode code (a
 * BIOS call, iPXE, memdisk) may rely on after Linux ran: Linux moved
 * the 8259s' vectors to 0x30.. (or masked them for the I/O APIC) and may
 * have stopped PIT channel 0 for the local APIC timer, so BIOS IRQ
 * handlers would never run and the BIOS tick never move. */
#include "purg.h"

static void pic_write(uint16_t port, uint8_t v)
{
	outb(port, v);
	outb(0x80, 0); /* a short delay, as the 8259 wants */
}

static void legacy_pic(void)
{
	pic_write(0x21, 0xff); /* mask everything while reprogramming */
	pic_write(0xa1, 0xff);
	pic_write(0x20, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	pic_write(0xa0, 0x11);
	pic_write(0x21, 0x08); /* ICW2: IRQ0-7 at vectors 0x08-0x0f */
	pic_write(0xa1, 0x70); /*       IRQ8-15 at 0x70-0x77 */
	pic_write(0x21, 0x04); /* ICW3: slave on IRQ2 */
	pic_write(0xa1, 0x02);
	pic_write(0x21, 0x01); /* ICW4: 8086 mode, normal EOI */
	pic_write(0xa1, 0x01);
	/* Only the timer and the cascade: devices Linux drove may still
	 * assert lines whose BIOS handlers expect another state. */
	pic_write(0x21, 0xfa);
	pic_write(0xa1, 0xff);
}

static void legacy_timer(void)
{
	outb(0x43, 0x36); /* channel 0, lobyte/hibyte, mode 3, binary */
	outb(0x40, 0x00); /* divisor 65536: 18.2 Hz, the BIOS tick */
	outb(0x40, 0x00);
}

void kj_purg_prepare_real16(const struct kj_purgatory_params *p, uint64_t top)
{
	const struct kj_purgatory_real16 *r = &p->real16;
	uint64_t base = (uintptr_t)p - KJ_PURGATORY_PARAMS_OFFSET;

	/* realmode.S runs from this blob in real mode. */
	if (top > 0x100000 || (base & 0xf)) {
		if (!kj_serial_ready())
			kj_serial_init(KJ_PURG_COM1, 115200);
		kj_printf("kjump purgatory: real-mode entry needs the "
			  "purgatory below 1 MiB (it is at 0x%lx-0x%lx)\n",
			  (unsigned long)base, (unsigned long)top);
		kj_printf("kjump purgatory: halted\n");
		kj_purg_halt();
	}
	kj_printf("kjump purgatory: entering %04x:%04x (real mode) "
		  "ss:sp=%04x:%04x ds=%04x\n",
		  r->cs, r->ip, r->ss, r->sp, r->ds);
	if (r->flags & KJ_RM_LEGACY_PIC)
		legacy_pic();
	if (r->flags & KJ_RM_LEGACY_TIMER)
		legacy_timer();
}

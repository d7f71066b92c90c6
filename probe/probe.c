/* The probe payload: report on COM1 everything a Multiboot 1 loader
 * handed over, then power the machine off.
 *
 * Freestanding, 32-bit, no paging: every physical address is readable,
 * so a bad pointer from the loader cannot fault us, but it can make us
 * loop or print forever. Hence every count, length and string is capped
 * and flags-gated fields are only read when their bit is set. The report
 * format is documented in README.md; tests parse it, keep it stable. */

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

#define REPORT_VERSION 1
#define MB_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36d76289u
#define MB2_HEADER_MAGIC 0xE85250D6u

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define EXIT_OK 0x10	 /* QEMU exits with (0x10 << 1) | 1 = 33 */
#define EXIT_ERRORS 0x11 /* 35: the report has error records */

/* MBI flag bits (Multiboot 1 specification, section 3.3). */
#define MBI_MEM (1u << 0)
#define MBI_BOOT_DEVICE (1u << 1)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_SYMS_AOUT (1u << 4)
#define MBI_SYMS_ELF (1u << 5)
#define MBI_MMAP (1u << 6)
#define MBI_DRIVES (1u << 7)
#define MBI_CONFIG (1u << 8)
#define MBI_LOADER_NAME (1u << 9)
#define MBI_APM (1u << 10)
#define MBI_VBE (1u << 11)
#define MBI_FRAMEBUFFER (1u << 12)

_Static_assert(offsetof(struct probe_boot, eflags) == 12, "head.S PB_EFLAGS");
_Static_assert(offsetof(struct probe_boot, cs) == 24, "head.S PB_CS");
_Static_assert(offsetof(struct probe_boot, ss) == 34, "head.S PB_SS");
_Static_assert(offsetof(struct probe_boot, bss_dirty) == 36, "head.S PB_BSS");

/* In .data, not .bss: head.S writes it before checking bss. */
struct probe_boot probe_boot __attribute__((section(".data")));

extern const uint32_t probe_mb_header[3];
extern char __image_start[], _end[], _start[];

void probe_main(struct probe_boot *b);

static unsigned int errors;	  /* in the current report */
static unsigned int total_errors; /* in all reports: the exit status */
static uint32_t crc_table[256];

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* ---- COM1 ---- */

static void uart_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB on */
	outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8n1, DLAB off */
	outb(COM1 + 2, 0xc7); /* FIFO on and cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void out_char(char c)
{
	/* Bounded wait: a missing UART must not hang the report. */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

static void out_str(const char *s)
{
	while (*s)
		out_char(*s++);
}

static void put_hex(uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	out_str("0x");
	while (digits--)
		out_char(hex[(v >> (digits * 4)) & 0xf]);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out_char(buf[--n]);
}

/* ---- report records: "KJPROBE <record> key=value ..." ---- */

void rec(const char *name)
{
	out_str("KJPROBE ");
	out_str(name);
}

void eol(void)
{
	out_str("\r\n");
}

void key(const char *k)
{
	out_char(' ');
	out_str(k);
	out_char('=');
}

void kv_hex32(const char *k, uint32_t v)
{
	key(k);
	put_hex(v, 8);
}

void kv_hex16(const char *k, uint16_t v)
{
	key(k);
	put_hex(v, 4);
}

void kv_hex64(const char *k, uint64_t v)
{
	key(k);
	put_hex(v, 16);
}

void kv_dec(const char *k, uint32_t v)
{
	key(k);
	put_dec(v);
}

void kv_word(const char *k, const char *v)
{
	key(k);
	out_str(v);
}

/* Up to cap bytes at a physical address, quoted and escaped so the
 * report stays one line per record; stops at a NUL. Returns the number
 * of bytes before the NUL (cap when there was none). */
static uint32_t quoted(uint32_t addr, uint32_t cap)
{
	uint32_t i;

	out_char('"');
	for (i = 0; i < cap; i++) {
		uint8_t c;

		if (addr + i < addr) /* wrapped past 4 GiB */
			break;
		c = rd8(addr + i);
		if (!c)
			break;
		if (c == '"' || c == '\\') {
			out_char('\\');
			out_char((char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			out_str("\\x");
			out_char("0123456789abcdef"[c >> 4]);
			out_char("0123456789abcdef"[c & 0xf]);
		} else {
			out_char((char)c);
		}
	}
	out_char('"');
	return i;
}

/* A NUL-terminated string. At most max bytes are read (the end of a
 * Multiboot 2 tag): without a NUL by then the record gains
 * " unterminated=1"; at the STR_CAP cap it gains " truncated=1". */
void kv_strn(const char *k, uint32_t addr, uint32_t max)
{
	uint32_t cap = max < STR_CAP ? max : STR_CAP, i;

	key(k);
	i = quoted(addr, cap);
	if (i == STR_CAP)
		kv_dec("truncated", 1);
	else if (i == cap)
		kv_dec("unterminated", 1);
}

/* A fixed-size text field (an ACPI OEM ID): len bytes, no flags. */
void kv_field(const char *k, uint32_t addr, uint32_t len)
{
	key(k);
	quoted(addr, len < STR_CAP ? len : STR_CAP);
}

void kv_str(const char *k, uint32_t addr)
{
	kv_strn(k, addr, STR_CAP);
}

void error(const char *what)
{
	errors++;
	total_errors++;
	rec("error");
	kv_word("what", what);
	eol();
}

/* ---- CRC-32 (IEEE 802.3, reflected, as zlib.crc32) ---- */

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

uint32_t crc32_phys(uint32_t addr, uint32_t len)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)addr;
	uint32_t c = 0xffffffffu;

	while (len--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- machine state ---- */

static int has_cpuid(void)
{
	uint32_t a, b;

	/* CPUID exists when EFLAGS.ID (bit 21) can be toggled. */
	__asm__ volatile("pushfl\n\t"
			 "popl %0\n\t"
			 "movl %0, %1\n\t"
			 "xorl $0x200000, %0\n\t"
			 "pushl %0\n\t"
			 "popfl\n\t"
			 "pushfl\n\t"
			 "popl %0\n\t"
			 "pushl %1\n\t"
			 "popfl"
			 : "=&r"(a), "=&r"(b));
	return ((a ^ b) & 0x200000) != 0;
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *d)
{
	uint32_t b, c;

	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(b), "=c"(c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

/* EFER exists on CPUs with long mode; RDMSR of it elsewhere would #GP
 * and, without an IDT, reset the machine. */
static int read_efer(uint64_t *efer)
{
	uint32_t a, d, lo, hi;

	if (!has_cpuid())
		return 0;
	cpuid(0x80000000u, &a, &d);
	if (a < 0x80000001u)
		return 0;
	cpuid(0x80000001u, &a, &d);
	if (!(d & (1u << 29)))
		return 0;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080u));
	*efer = lo | (uint64_t)hi << 32;
	return 1;
}

/* A20 is on when writing our own word does not show up 1 MiB away. */
static int a20_enabled(void)
{
	static volatile uint32_t word __attribute__((section(".data")));
	uint32_t alias = (uint32_t)(uintptr_t)&word ^ 0x100000u;

	word = 0x4b4a5031;
	if (rd32(alias) != word)
		return 1;
	word = ~word;
	return rd32(alias) != word;
}

static void report_machine(const struct probe_boot *b)
{
	uint64_t efer;

	rec("cpu");
	kv_hex32("eflags", b->eflags);
	kv_hex32("cr0", b->cr0);
	kv_hex32("cr4", b->cr4);
	if (read_efer(&efer))
		kv_hex64("efer", efer);
	else
		kv_word("efer", "none");
	kv_hex16("cs", b->cs);
	kv_hex16("ds", b->ds);
	kv_hex16("es", b->es);
	kv_hex16("fs", b->fs);
	kv_hex16("gs", b->gs);
	kv_hex16("ss", b->ss);
	kv_hex32("esp", b->esp);
	kv_dec("a20", (uint32_t)a20_enabled());
	eol();

	rec("self");
	if (probe_mb_header[0] == MB2_HEADER_MAGIC) {
		kv_word("variant", "mb2");
		kv_dec("header_length", probe_mb_header[2]);
	} else {
		kv_word("variant",
			(probe_mb_header[1] & 0x10000) ? "aout" : "elf");
		kv_hex32("header_flags", probe_mb_header[1]);
	}
	kv_hex32("start", (uint32_t)(uintptr_t)__image_start);
	kv_hex32("end", (uint32_t)(uintptr_t)_end);
	kv_hex32("entry", (uint32_t)(uintptr_t)_start);
	kv_dec("bss_clean", b->bss_dirty == 0);
	eol();
}

/* ---- the Multiboot information structure ---- */

/* One module record: shared by the Multiboot 1 module list and the
 * Multiboot 2 module tags (whose string ends with the tag: strmax). */
void module_record(uint32_t i, uint32_t start, uint32_t end, uint32_t str,
		   uint32_t strmax)
{
	rec("module");
	kv_dec("index", i);
	kv_hex32("start", start);
	kv_hex32("end", end);
	if (end < start) {
		eol();
		error("module_end_before_start");
		return;
	}
	kv_dec("size", end - start);
	if (end - start <= CRC_CAP)
		kv_hex32("crc32", crc32_phys(start, end - start));
	else
		kv_word("crc32", "skipped");
	kv_strn("cmdline", str, strmax);
	eol();
}

static void report_modules(uint32_t mbi)
{
	uint32_t count = rd32(mbi + 20), addr = rd32(mbi + 24);

	rec("mods");
	kv_dec("count", count);
	kv_hex32("addr", addr);
	eol();
	if (count > MODS_CAP) {
		error("mods_count_capped");
		count = MODS_CAP;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t m = addr + i * 16;

		module_record(i, rd32(m), rd32(m + 4), rd32(m + 8), STR_CAP);
	}
}

static void report_mmap(uint32_t mbi)
{
	uint32_t len = rd32(mbi + 44), addr = rd32(mbi + 48);
	uint64_t cur = addr, end = (uint64_t)addr + len;
	uint32_t i;

	rec("mmap_table");
	kv_dec("length", len);
	kv_hex32("addr", addr);
	eol();
	/* Each entry: u32 size (not counting itself), u64 base, u64 length,
	 * u32 type; the next entry starts size + 4 bytes later. */
	for (i = 0; cur + 4 <= end; i++) {
		uint32_t size = rd32((uint32_t)cur);

		if (i == MMAP_CAP) {
			error("mmap_entries_capped");
			return;
		}
		if (size < 20) {
			error("mmap_entry_too_small");
			return;
		}
		if (cur + 4 + size > end) {
			error("mmap_entry_past_end");
			return;
		}
		rec("mmap");
		kv_dec("index", i);
		kv_hex64("base", rd64((uint32_t)cur + 4));
		kv_hex64("len", rd64((uint32_t)cur + 12));
		kv_dec("type", rd32((uint32_t)cur + 20));
		kv_dec("size", size);
		eol();
		cur += 4 + (uint64_t)size;
	}
	if (cur != end)
		error("mmap_trailing_bytes");
}

static void report_mbi(uint32_t mbi)
{
	uint32_t flags = rd32(mbi);

	rec("mbi");
	kv_hex32("flags", flags);
	eol();
	if (flags & MBI_MEM) {
		rec("mem");
		kv_dec("lower", rd32(mbi + 4));
		kv_dec("upper", rd32(mbi + 8));
		eol();
	}
	if (flags & MBI_BOOT_DEVICE) {
		rec("boot_device");
		kv_hex32("value", rd32(mbi + 12));
		eol();
	}
	if (flags & MBI_CMDLINE) {
		rec("cmdline");
		kv_hex32("addr", rd32(mbi + 16));
		kv_str("value", rd32(mbi + 16));
		eol();
	}
	if (flags & MBI_MODS)
		report_modules(mbi);
	if ((flags & MBI_SYMS_AOUT) && (flags & MBI_SYMS_ELF))
		error("syms_aout_and_elf");
	if (flags & MBI_SYMS_AOUT) {
		rec("syms_aout");
		kv_dec("tabsize", rd32(mbi + 28));
		kv_dec("strsize", rd32(mbi + 32));
		kv_hex32("addr", rd32(mbi + 36));
		eol();
	}
	if (flags & MBI_SYMS_ELF) {
		rec("syms_elf");
		kv_dec("num", rd32(mbi + 28));
		kv_dec("size", rd32(mbi + 32));
		kv_hex32("addr", rd32(mbi + 36));
		kv_dec("shndx", rd32(mbi + 40));
		eol();
	}
	if (flags & MBI_MMAP)
		report_mmap(mbi);
	if (flags & MBI_DRIVES) {
		rec("drives");
		kv_dec("length", rd32(mbi + 52));
		kv_hex32("addr", rd32(mbi + 56));
		eol();
	}
	if (flags & MBI_CONFIG) {
		rec("config_table");
		kv_hex32("addr", rd32(mbi + 60));
		eol();
	}
	if (flags & MBI_LOADER_NAME) {
		rec("boot_loader_name");
		kv_hex32("addr", rd32(mbi + 64));
		kv_str("value", rd32(mbi + 64));
		eol();
	}
	if (flags & MBI_APM) {
		rec("apm_table");
		kv_hex32("addr", rd32(mbi + 68));
		eol();
	}
	if (flags & MBI_VBE) {
		rec("vbe");
		kv_hex32("control_info", rd32(mbi + 72));
		kv_hex32("mode_info", rd32(mbi + 76));
		kv_hex16("mode", rd16(mbi + 80));
		kv_hex16("interface_seg", rd16(mbi + 82));
		kv_hex16("interface_off", rd16(mbi + 84));
		kv_hex16("interface_len", rd16(mbi + 86));
		eol();
	}
	if (flags & MBI_FRAMEBUFFER) {
		rec("framebuffer");
		kv_hex64("addr", rd64(mbi + 88));
		kv_dec("pitch", rd32(mbi + 96));
		kv_dec("width", rd32(mbi + 100));
		kv_dec("height", rd32(mbi + 104));
		kv_dec("bpp", rd8(mbi + 108));
		kv_dec("type", rd8(mbi + 109));
		eol();
	}
}

/* ---- power off ---- */

static void __attribute__((noreturn)) power_off(void)
{
	/* QEMU's isa-debug-exit first (the tests' way out), then the ACPI
	 * PM1a control ports QEMU's q35 and i440fx firmware use (SLP_EN with
	 * the S5 type QEMU expects), then the one of VirtualBox. */
	outb(DEBUG_EXIT_PORT, total_errors ? EXIT_ERRORS : EXIT_OK);
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	outw(0x4004, 0x3400);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void probe_report(const struct probe_boot *b)
{
	errors = 0;
	/* Firmware may have left a partial line on the port. */
	eol();
	rec("begin");
	kv_dec("version", REPORT_VERSION);
	eol();
	rec("entry");
	kv_hex32("magic", b->eax);
	kv_hex32("mbi", b->ebx);
	eol();
	report_machine(b);
	if (b->bss_dirty)
		error("bss_not_zeroed");
	if (b->eax == MB_BOOT_MAGIC)
		report_mbi(b->ebx);
	else if (b->eax == MB2_BOOT_MAGIC)
		report_mbi2(b->ebx);
	else
		error("bad_magic");
	rec("end");
	kv_dec("errors", errors);
	eol();
}

void probe_main(struct probe_boot *b)
{
	uart_init();
	crc_init();
	probe_report(b);
	if (probe_selftest)
		probe_selftest();
	power_off();
}

/* The arm64 probe payload: report on the PL011 everything the loader
 * handed over (registers, EL, MMU/cache state, the device tree at x0),
 * then power off through PSCI. Format: probe/README.md ("arm64").
 *
 * Runs with the MMU off as booting.rst enters a kernel: every address is
 * readable as Device memory, so a bad value cannot fault on alignment
 * (all reads here are bytewise or naturally aligned) but an address
 * without memory behind it aborts: the initrd is only read when a memory
 * node covers it, and the vectors in head.S report any exception. The
 * tree itself is checked in full (kj_fdt_check) before anything is read
 * from it; every count and string printed is capped. */
#include <stddef.h>
#include <stdint.h>

#include "dt.h"
#include "probe.h"

#define REPORT_VERSION 1
#define STR_CAP 4096
#define NODE_CAP 64	     /* memory / reserved-memory nodes reported */
#define REG_CAP 16	     /* reg entries per node */
#define RSV_CAP 64	     /* memreserve entries reported */
#define CRC_CAP (256u << 20) /* largest initrd checksummed */
#define DTB_MAX (2u << 20)   /* booting.rst */
#define QEMU_VIRT_UART 0x09000000ull

_Static_assert(__builtin_offsetof(struct probe_boot, el) == PB_EL, "PB_EL");
_Static_assert(__builtin_offsetof(struct probe_boot, bss_dirty) == PB_BSS,
	       "PB_BSS");
_Static_assert(sizeof(struct probe_boot) == PB_SIZE, "PB_SIZE");

static volatile uint32_t *uart;
static unsigned int errors;
static uint32_t crc_table[256];

/* ---- PL011 ---- */

static void out_char(char c)
{
	/* Bounded wait: a missing UART must not hang the report. */
	for (int i = 0; i < 100000 && (uart[0x18 / 4] & (1u << 5)); i++)
		;
	uart[0] = (uint8_t)c;
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

static void put_dec(uint64_t v)
{
	char buf[21];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out_char(buf[--n]);
}

/* ---- records ---- */

static void rec(const char *name)
{
	out_str("KJPROBE ");
	out_str(name);
}

static void eol(void)
{
	out_str("\r\n");
}

static void key(const char *k)
{
	out_char(' ');
	out_str(k);
	out_char('=');
}

static void kv_hex64(const char *k, uint64_t v)
{
	key(k);
	put_hex(v, 16);
}

static void kv_hex32(const char *k, uint32_t v)
{
	key(k);
	put_hex(v, 8);
}

static void kv_dec(const char *k, uint64_t v)
{
	key(k);
	put_dec(v);
}

static void kv_word(const char *k, const char *v)
{
	key(k);
	out_str(v);
}

/* A string of at most len bytes (a property value: it may lack its NUL),
 * quoted and escaped; " truncated=1" at the cap. */
static void kv_str(const char *k, const uint8_t *s, uint32_t len)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t i;

	key(k);
	out_char('"');
	for (i = 0; i < len && i < STR_CAP && s[i]; i++) {
		uint8_t c = s[i];

		if (c == '"' || c == '\\') {
			out_char('\\');
			out_char((char)c);
		} else if (c < 0x20 || c > 0x7e) {
			out_str("\\x");
			out_char(hex[c >> 4]);
			out_char(hex[c & 0xf]);
		} else {
			out_char((char)c);
		}
	}
	out_char('"');
	if (i == STR_CAP && i < len && s[i])
		kv_dec("truncated", 1);
}

static void error(const char *what)
{
	rec("error");
	kv_word("what", what);
	eol();
	errors++;
}

/* ---- CRC32 (IEEE, as zlib) ---- */

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(uint64_t addr, uint64_t len)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)addr;
	uint32_t c = 0xffffffffu;

	for (uint64_t i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- device tree ---- */

static void report_cpu(const struct probe_boot *b)
{
	rec("entry");
	kv_hex64("x0", b->x[0]);
	kv_hex64("x1", b->x[1]);
	kv_hex64("x2", b->x[2]);
	kv_hex64("x3", b->x[3]);
	eol();
	rec("cpu");
	kv_dec("el", b->el);
	kv_hex64("sctlr", b->sctlr);
	kv_dec("mmu", b->sctlr & 1);
	kv_dec("dcache", b->sctlr >> 2 & 1);
	kv_dec("icache", b->sctlr >> 12 & 1);
	kv_hex32("daif", (uint32_t)b->daif);
	kv_dec("e2h", b->el == 2 ? (b->hcr >> 34 & 1) : 0);
	eol();
	rec("self");
	kv_hex64("start", b->image_start);
	kv_hex64("end", b->image_end);
	/* Informational: the Image protocol does not ask a loader to zero
	 * the bss (image_size covers it), kexec's zero-filled memsz does. */
	kv_dec("bss_clean", !b->bss_dirty);
	eol();
}

/* The memory nodes' ranges, for "is the initrd in RAM". */
static struct {
	uint64_t base, size;
} ram[NODE_CAP * REG_CAP];
static unsigned int nram;

static int in_ram(uint64_t a, uint64_t len)
{
	for (unsigned int i = 0; i < nram; i++)
		if (a >= ram[i].base && len <= ram[i].size &&
		    a - ram[i].base <= ram[i].size - len)
			return 1;
	return 0;
}

/* reg entries of node (parent's cells) as records called name. */
static void report_regs(const struct dt *t, int parent, int node,
			const char *name, unsigned int *index, int is_ram)
{
	uint32_t ac = dt_cells(t, parent, "#address-cells");
	uint32_t sc = dt_cells(t, parent, "#size-cells");
	uint32_t len, nolen, entry;
	const uint8_t *reg = dt_prop(t, node, "reg", &len);
	int no_map = dt_prop(t, node, "no-map", &nolen) != 0;

	if (!reg)
		return;
	if (!ac || !sc) {
		error("bad_cells");
		return;
	}
	entry = 4 * (ac + sc);
	for (uint32_t off = 0, n = 0; off + entry <= len; off += entry, n++) {
		uint64_t base = dt_read_cells(reg + off, ac);
		uint64_t size = dt_read_cells(reg + off + 4 * ac, sc);

		if (n == REG_CAP) {
			error("reg_entries_capped");
			return;
		}
		rec(name);
		kv_dec("index", (*index)++);
		kv_str("node", (const uint8_t *)dt_name(t, node), STR_CAP);
		kv_hex64("base", base);
		kv_hex64("size", size);
		if (!is_ram)
			kv_dec("no_map", no_map);
		eol();
		if (is_ram && nram < sizeof(ram) / sizeof(ram[0])) {
			ram[nram].base = base;
			ram[nram].size = size;
			nram++;
		}
	}
	if (len % entry)
		error("reg_trailing_bytes");
}

static void report_memory(const struct dt *t)
{
	int root = dt_root(t), nodes = 0;
	unsigned int index = 0;
	uint32_t len;

	for (int n = dt_first_child(t, root); n >= 0;
	     n = dt_next_sibling(t, n)) {
		const uint8_t *dev = dt_prop(t, n, "device_type", &len);

		if (!dev || !dt_has_string(dev, len, "memory"))
			continue;
		if (nodes++ == NODE_CAP) {
			error("memory_nodes_capped");
			break;
		}
		report_regs(t, root, n, "memory", &index, 1);
	}
}

static void report_reserved(const struct dt *t)
{
	int rm = dt_path(t, "/reserved-memory", 16), nodes = 0;
	unsigned int index = 0;
	uint64_t a, s;

	if (rm >= 0)
		for (int n = dt_first_child(t, rm); n >= 0;
		     n = dt_next_sibling(t, n)) {
			if (nodes++ == NODE_CAP) {
				error("reserved_nodes_capped");
				break;
			}
			report_regs(t, rm, n, "reserved", &index, 0);
		}
	for (unsigned int i = 0; dt_memreserve(t, i, &a, &s); i++) {
		if (i == RSV_CAP) {
			error("memreserve_capped");
			break;
		}
		rec("memreserve");
		kv_dec("index", i);
		kv_hex64("base", a);
		kv_hex64("size", s);
		eol();
	}
}

static uint64_t prop_number(const uint8_t *p, uint32_t len, int *ok)
{
	*ok = p && (len == 4 || len == 8);
	return *ok ? dt_read_cells(p, len / 4) : 0;
}

static void report_chosen(const struct dt *t)
{
	int chosen = dt_path(t, "/chosen", 7), ok_s, ok_e;
	const uint8_t *p, *s, *e;
	uint32_t len, slen, elen;
	uint64_t start, end;

	if (chosen < 0) {
		rec("chosen");
		kv_dec("present", 0);
		eol();
		return;
	}
	p = dt_prop(t, chosen, "bootargs", &len);
	if (p) {
		rec("cmdline");
		kv_str("value", p, len);
		eol();
	}
	s = dt_prop(t, chosen, "linux,initrd-start", &slen);
	e = dt_prop(t, chosen, "linux,initrd-end", &elen);
	if (s || e) {
		start = prop_number(s, slen, &ok_s);
		end = prop_number(e, elen, &ok_e);
		rec("initrd");
		kv_hex64("start", start);
		kv_hex64("end", end);
		if (!ok_s || !ok_e || end < start) {
			eol();
			error("initrd_range_invalid");
		} else {
			kv_dec("size", end - start);
			key("crc32");
			if (end - start > CRC_CAP)
				out_str("skipped");
			else if (!in_ram(start, end - start))
				out_str("outside_memory");
			else
				put_hex(crc32(start, end - start), 8);
			eol();
		}
	}
	p = dt_prop(t, chosen, "kaslr-seed", &len);
	rec("seeds");
	kv_dec("kaslr_seed", p != 0);
	kv_dec("kaslr_nonzero", p && len == 8 && dt_read_cells(p, 2) != 0);
	p = dt_prop(t, chosen, "rng-seed", &len);
	kv_dec("rng_seed", p != 0);
	kv_dec("rng_seed_len", p ? len : 0);
	eol();
	p = dt_prop(t, chosen, "linux,uefi-system-table", &len);
	if (p) {
		int ok;

		rec("uefi");
		kv_hex64("system_table", prop_number(p, len, &ok));
		eol();
	}
	p = dt_prop(t, chosen, "linux,elfcorehdr", &len);
	if (p) {
		rec("elfcorehdr");
		kv_hex64("base", len >= 8 ? dt_read_cells(p, 2) : 0);
		kv_hex64("size", len >= 16 ? dt_read_cells(p + 8, 2) : 0);
		eol();
	}
}

/* /chosen stdout-path -> a PL011's base, else QEMU virt's. */
static uint64_t find_uart(const struct dt *t)
{
	int chosen = dt_path(t, "/chosen", 7), node, parent;
	const uint8_t *p, *reg;
	uint32_t len, n = 0, rlen;

	if (chosen < 0)
		return QEMU_VIRT_UART;
	p = dt_prop(t, chosen, "stdout-path", &len);
	if (!p)
		return QEMU_VIRT_UART;
	while (n < len && p[n] && p[n] != ':')
		n++;
	if (n && p[0] != '/') {
		/* An alias: its value must be an absolute path. */
		int al = dt_path(t, "/aliases", 8);
		char name[64];
		uint32_t alen;

		if (al < 0 || n >= sizeof(name))
			return QEMU_VIRT_UART;
		for (uint32_t i = 0; i < n; i++)
			name[i] = (char)p[i];
		name[n] = '\0';
		p = dt_prop(t, al, name, &alen);
		if (!p || !alen || p[0] != '/')
			return QEMU_VIRT_UART;
		for (n = 0; n < alen && p[n];)
			n++;
	}
	/* Only a node right under the root (QEMU virt's): a console behind
	 * a bus would need its ranges, which this probe does not follow. */
	for (uint32_t i = 1; i < n; i++)
		if (p[i] == '/')
			return QEMU_VIRT_UART;
	node = dt_path(t, (const char *)p, n);
	if (node < 0)
		return QEMU_VIRT_UART;
	p = dt_prop(t, node, "compatible", &len);
	if (!p || !dt_has_string(p, len, "arm,pl011"))
		return QEMU_VIRT_UART;
	parent = dt_root(t);
	reg = dt_prop(t, node, "reg", &rlen);
	{
		uint32_t ac = dt_cells(t, parent, "#address-cells");

		if (!reg || !ac || rlen < 4 * ac)
			return QEMU_VIRT_UART;
		return dt_read_cells(reg, ac);
	}
}

static const char *psci_method(const struct dt *t)
{
	int n = dt_path(t, "/psci", 5);
	const uint8_t *p;
	uint32_t len;

	if (n < 0)
		return "none";
	p = dt_prop(t, n, "method", &len);
	if (p && dt_has_string(p, len, "smc"))
		return "smc";
	if (p && dt_has_string(p, len, "hvc"))
		return "hvc";
	return "none";
}

int probe_report(const struct probe_boot *b, uint64_t dtb, uint64_t max)
{
	struct dt t;
	const char *why = 0, *method = "none";

	crc_init();
	nram = 0;
	errors = 0;
	if (!dtb || dtb & 7)
		why = "no 8-byte aligned device tree address in x0";
	else
		why = dt_open(&t, (const void *)(uintptr_t)dtb, max);
	uart = (volatile uint32_t *)(uintptr_t)(why ? QEMU_VIRT_UART
						    : find_uart(&t));

	rec("begin");
	kv_dec("version", REPORT_VERSION);
	kv_word("arch", "arm64");
	eol();
	report_cpu(b);
	rec("dtb");
	kv_hex64("addr", dtb);
	if (why) {
		kv_word("valid", "0");
		kv_str("reason", (const uint8_t *)why, STR_CAP);
		eol();
		error("dtb_invalid");
	} else {
		kv_dec("valid", 1);
		kv_dec("size", t.size);
		kv_hex64("uart", (uint64_t)(uintptr_t)uart);
		eol();
		if (t.size > DTB_MAX)
			error("dtb_over_2mib");
		report_memory(&t);
		report_chosen(&t);
		report_reserved(&t);
		method = psci_method(&t);
	}
	rec("psci");
	kv_word("method", method);
	eol();
	rec("end");
	kv_dec("errors", errors);
	eol();
	return method[0] == 's'	  ? PROBE_PSCI_SMC
	       : method[0] == 'h' ? PROBE_PSCI_HVC
				  : PROBE_PSCI_NONE;
}

void probe_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	if (!uart)
		uart = (volatile uint32_t *)(uintptr_t)QEMU_VIRT_UART;
	rec("error");
	kv_word("what", "exception");
	kv_dec("vector", vector);
	kv_hex64("esr", esr);
	kv_hex64("elr", elr);
	kv_hex64("far", far);
	eol();
	rec("end");
	kv_dec("errors", errors + 1);
	eol();
}

/* ACPI RSDP and SMBIOS bytes for the system description.
 *
 * Linux exports no file holding an RSDP (tests/vm/test_rsdp_access.py):
 * its address comes from the EFI system table or boot_params, its bytes
 * from /dev/mem. Under BIOS that works (the RSDP sits in the BIOS area,
 * which STRICT_DEVMEM leaves open); under EFI the RSDPs sit in "ACPI
 * Tables", which IO_STRICT_DEVMEM closes unless booted with
 * iomem=relaxed, so they are usually missing there, and sys->note says
 * so. A revision 0 RSDP is the "old" one (20 bytes), revision 2 and up
 * the "new" one (its length field), as GRUB classifies them. */
#include "arch/x86_64/fw_tables.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/le.h"
#include "sys/sysroot.h"

#define RSDP_V1_LEN 20
#define RSDP_V2_MIN 36
#define RSDP_MAX 4096 /* a sane length field; ACPI defines 36 */
#define BDA_EBDA_SEG 0x40e
#define EBDA_SCAN 1024
#define BIOS_AREA 0xe0000ull
#define BIOS_AREA_LEN 0x20000u
#define SMBIOS_ENTRY_MAX 64
#define SMBIOS_TABLE_MAX (1u << 20)

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

int kj_x86_rsdp_valid(const uint8_t *b, size_t len)
{
	uint32_t l;

	if (len < RSDP_V1_LEN || memcmp(b, "RSD PTR ", 8) ||
	    sum8(b, RSDP_V1_LEN))
		return 0;
	if (b[15] < 2)
		return 1;
	if (len < RSDP_V2_MIN)
		return 0;
	l = kj_le32(b + 20);
	return l >= RSDP_V2_MIN && l <= len && sum8(b, l) == 0;
}

/* pread all of [addr, addr+len) from /dev/mem: 0 or -errno. */
static int mem_read(int fd, uint64_t addr, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n =
			pread(fd, buf + done, len - done, (off_t)(addr + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

static int blob_set(struct kj_fw_blob *b, const uint8_t *p, size_t len)
{
	b->data = malloc(len);
	if (!b->data)
		return -ENOMEM;
	memcpy(b->data, p, len);
	b->len = len;
	return 0;
}

static void unreadable(struct kj_sysdesc *sys, uint64_t addr, int r)
{
	kj_sysdesc_note(sys,
			"ACPI RSDP at 0x%" PRIx64 ": /dev/mem: %s%s; its copy "
			"is not passed on",
			addr, strerror(-r),
			r == -EPERM ? " (STRICT_DEVMEM; iomem=relaxed opens it)"
				    : "");
}

/* The RSDP at addr: a revision 0 one becomes rsdp_v1, a later one
 * rsdp_v2 (and, as_v1, its first 20 bytes rsdp_v1: the EFI ACPI 1.0
 * entry may point at a revision 2 structure). */
static void take(struct kj_sysdesc *sys, int fd, uint64_t addr, bool as_v1)
{
	uint8_t b[RSDP_MAX];
	size_t len = RSDP_V2_MIN;
	int r = mem_read(fd, addr, b, len);

	if (r < 0) {
		len = RSDP_V1_LEN;
		r = mem_read(fd, addr, b, len);
	}
	if (r < 0) {
		unreadable(sys, addr, r);
		return;
	}
	if (b[15] >= 2 && len >= RSDP_V2_MIN && kj_le32(b + 20) > len &&
	    kj_le32(b + 20) <= RSDP_MAX) {
		len = kj_le32(b + 20);
		r = mem_read(fd, addr, b, len);
		if (r < 0) {
			unreadable(sys, addr, r);
			return;
		}
	}
	if (!kj_x86_rsdp_valid(b, len)) {
		kj_sysdesc_note(sys,
				"ACPI RSDP at 0x%" PRIx64 ": no valid RSDP "
				"there; not passed on",
				addr);
		return;
	}
	if ((b[15] < 2 || as_v1) && !sys->rsdp_v1.len)
		blob_set(&sys->rsdp_v1, b, RSDP_V1_LEN);
	if (b[15] >= 2 && !sys->rsdp_v2.len)
		blob_set(&sys->rsdp_v2, b, kj_le32(b + 20));
}

/* The BIOS way: 16-byte boundaries in the EBDA's first KiB, then in
 * 0xE0000-0xFFFFF. */
static void scan(struct kj_sysdesc *sys, int fd)
{
	uint8_t *area = malloc(BIOS_AREA_LEN), seg[2];
	struct {
		uint64_t at;
		size_t len;
	} where[2] = { { 0, EBDA_SCAN }, { BIOS_AREA, BIOS_AREA_LEN } };

	if (!area)
		return;
	if (mem_read(fd, BDA_EBDA_SEG, seg, 2) == 0)
		where[0].at = (uint64_t)(seg[0] | seg[1] << 8) << 4;
	for (size_t w = 0; w < 2; w++) {
		if (!where[w].at ||
		    mem_read(fd, where[w].at, area, where[w].len) < 0)
			continue;
		for (size_t off = 0; off + RSDP_V2_MIN <= where[w].len;
		     off += 16) {
			const uint8_t *b = area + off;
			size_t room = where[w].len - off;

			if (!kj_x86_rsdp_valid(b, room))
				continue;
			if (b[15] < 2 && !sys->rsdp_v1.len)
				blob_set(&sys->rsdp_v1, b, RSDP_V1_LEN);
			if (b[15] >= 2 && !sys->rsdp_v2.len)
				blob_set(&sys->rsdp_v2, b, kj_le32(b + 20));
		}
	}
	free(area);
}

void kj_x86_read_rsdp(struct kj_sysdesc *sys, uint64_t efi20, uint64_t efi10,
		      uint64_t boot_rsdp)
{
	int fd = kj_sys_open_device("/dev/mem");

	if (fd < 0) {
		kj_sysdesc_note(sys, "ACPI RSDP copies: /dev/mem: %s",
				strerror(-fd));
		return;
	}
	if (efi20)
		take(sys, fd, efi20, false);
	if (efi10)
		take(sys, fd, efi10, true);
	if (!efi20 && !efi10) {
		if (boot_rsdp)
			take(sys, fd, boot_rsdp, false);
		if (!sys->rsdp_v1.len && !sys->rsdp_v2.len)
			scan(sys, fd);
		if (!sys->rsdp_v1.len && !sys->rsdp_v2.len)
			kj_sysdesc_note(sys, "no ACPI RSDP found in the BIOS "
					     "areas");
	}
	close(fd);
}

/* SMBIOS 2.x "_SM_" has the version at 6 and 7, 3.x "_SM3_" at 7 and 8. */
static bool smbios_entry_ok(const uint8_t *e, size_t len)
{
	if (len >= 0x1f && !memcmp(e, "_SM_", 4))
		return e[5] <= len && e[5] >= 0x1f;
	if (len >= 0x18 && !memcmp(e, "_SM3_", 5))
		return e[6] <= len && e[6] >= 0x18;
	return false;
}

void kj_x86_read_smbios(struct kj_sysdesc *sys)
{
	struct kj_err why = { 0 };
	char *entry = NULL, *table = NULL;
	size_t elen = 0, tlen = 0;

	if (kj_sys_read("/sys/firmware/dmi/tables/smbios_entry_point",
			SMBIOS_ENTRY_MAX, &entry, &elen, &why) < 0 ||
	    kj_sys_read("/sys/firmware/dmi/tables/DMI", SMBIOS_TABLE_MAX,
			&table, &tlen, &why) < 0) {
		if (why.code != ENOENT)
			kj_sysdesc_note(sys, "SMBIOS: %s; not passed on",
					why.msg);
		free(entry);
		return;
	}
	if (!smbios_entry_ok((const uint8_t *)entry, elen) || !tlen) {
		kj_sysdesc_note(sys, "SMBIOS: the entry point in "
				     "/sys/firmware/dmi/tables is not one; not "
				     "passed on");
		free(entry);
		free(table);
		return;
	}
	sys->smbios_entry.data = (uint8_t *)entry;
	sys->smbios_entry.len = elen;
	sys->smbios_table.data = (uint8_t *)table;
	sys->smbios_table.len = tlen;
}

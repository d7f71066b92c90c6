/* The purgatory's UART; see console_uart.h. */
#include "arch/arm64/console_uart.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/stdout_uart.h"
#include "sys/sysroot.h"

#define OPT "--console-serial"
#define SPCR_PATH "/sys/firmware/acpi/tables/SPCR"
#define SPCR_MAX 4096
/* The SPCR fields read (ACPI header, then the interface type and the
 * base address as a Generic Address Structure). */
#define SPCR_LENGTH 4
#define SPCR_TYPE 36
#define SPCR_GAS_SPACE 40
#define SPCR_GAS_ADDR 44
#define SPCR_MIN_LEN 52
/* Interface types (Microsoft's DBG2 numbering) with PL011 registers. */
#define SPCR_PL011 0x03
#define SPCR_SBSA_32 0x0d
#define SPCR_SBSA 0x0e
#define SERIAL_PORT_AMBA 32 /* the serial core's PORT_AMBA: PL011, SBSA */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int kj_arm64_spcr_uart(const uint8_t *t, size_t len, uint64_t *base,
		       struct kj_err *err)
{
	uint64_t addr;

	if (len < SPCR_MIN_LEN || memcmp(t, "SPCR", 4) ||
	    le32(t + SPCR_LENGTH) < SPCR_MIN_LEN || le32(t + SPCR_LENGTH) > len)
		return kj_fail(err, EINVAL,
			       SPCR_PATH ": not an SPCR table of at least %d "
					 "bytes (%zu read)",
			       SPCR_MIN_LEN, len);
	if (t[SPCR_TYPE] != SPCR_PL011 && t[SPCR_TYPE] != SPCR_SBSA &&
	    t[SPCR_TYPE] != SPCR_SBSA_32)
		return kj_fail(err, ENODEV,
			       SPCR_PATH ": the console is UART type 0x%02x, "
					 "not a PL011 or SBSA UART",
			       t[SPCR_TYPE]);
	addr = (uint64_t)le32(t + SPCR_GAS_ADDR) |
	       (uint64_t)le32(t + SPCR_GAS_ADDR + 4) << 32;
	if (t[SPCR_GAS_SPACE] != 0 || !addr)
		return kj_fail(err, ENODEV,
			       SPCR_PATH ": the console is not memory-mapped "
					 "(address space %u, address 0x%" PRIx64
					 ")",
			       t[SPCR_GAS_SPACE], addr);
	*base = addr;
	return 0;
}

static int check_addr(const char *what, uint64_t addr, struct kj_err *err)
{
	if (!addr || addr & 3)
		return kj_fail(err, EINVAL,
			       "%s: UART address 0x%" PRIx64 " is not a "
			       "non-zero, 4-byte aligned address",
			       what, addr);
	return 0;
}

/* The number in a small sysfs file ("0x9000000\n", "32\n"). */
static int read_num(const char *path, int base, uint64_t *v, struct kj_err *err)
{
	char *text, *end;
	int r = kj_sys_read(path, 64, &text, NULL, err);

	if (r < 0)
		return r;
	errno = 0;
	*v = strtoull(text, &end, base);
	if (errno || end == text || (*end && *end != '\n'))
		r = kj_fail(err, EINVAL, "%s: not a number", path);
	free(text);
	return r;
}

/* A tty name: what the running kernel registered the UART as. */
static int tty_uart(const char *name, uint64_t *base, struct kj_err *err)
{
	char path[96];
	uint64_t type;
	int r;

	if (strlen(name) > 32 || strchr(name, '/') || name[0] == '.')
		return kj_fail(err, EINVAL,
			       OPT "=%.40s: not a UART address (0x9000000) "
				   "or a tty name (ttyAMA0)",
			       name);
	snprintf(path, sizeof(path), "/sys/class/tty/%s/iomem_base", name);
	if (!kj_sys_exists(path))
		return kj_fail(err, ENODEV, OPT "=%s: %s: no such serial tty",
			       name, path);
	r = read_num(path, 16, base, err);
	if (r < 0)
		return r;
	if (!*base)
		return kj_fail(err, ENODEV,
			       OPT "=%s: %s is 0: not a memory-mapped UART",
			       name, path);
	snprintf(path, sizeof(path), "/sys/class/tty/%s/type", name);
	r = read_num(path, 10, &type, err);
	if (r < 0)
		return r;
	if (type != SERIAL_PORT_AMBA)
		return kj_fail(err, ENODEV,
			       OPT "=%s: %s is %" PRIu64 ", not a PL011 (%d); "
				   "the purgatory speaks PL011 only",
			       name, path, type, SERIAL_PORT_AMBA);
	return check_addr(OPT, *base, err);
}

static int spcr_uart(uint64_t *base, struct kj_err *err)
{
	char *t;
	size_t len;
	int r;

	if (!kj_sys_exists(SPCR_PATH))
		return kj_fail(err, ENOENT,
			       OPT ": the device tree has no stdout-path and "
				   "there is no ACPI SPCR table: name the UART "
				   "(" OPT "=0x9000000 or =ttyAMA0)");
	r = kj_sys_read(SPCR_PATH, SPCR_MAX, &t, &len, err);
	if (r < 0)
		return r;
	r = kj_arm64_spcr_uart((const uint8_t *)t, len, base, err);
	free(t);
	return r < 0 ? r : check_addr(SPCR_PATH, *base, err);
}

int kj_arm64_console_uart(const char *named, const void *dtb, size_t dtb_len,
			  uint64_t *base, const char **how, struct kj_err *err)
{
	struct kj_err derr = { 0 };
	int r;

	*base = 0;
	if (named && named[0] >= '0' && named[0] <= '9') {
		char *end;

		errno = 0;
		*base = strtoull(named, &end, 0);
		if (errno || *end)
			return kj_fail(err, EINVAL,
				       OPT
				       "=%.40s: not a UART address "
				       "(0x9000000) or a tty name (ttyAMA0)",
				       named);
		*how = OPT;
		return check_addr(OPT, *base, err);
	}
	if (named) {
		*how = "/sys/class/tty";
		return tty_uart(named, base, err);
	}
	r = dtb ? kj_arm64_stdout_uart(dtb, dtb_len, "dtb", base, &derr)
		: -ENOENT;
	if (r == 0) {
		*how = "stdout-path";
		return check_addr("dtb: stdout-path", *base, err);
	}
	if (r != -ENOENT)
		return kj_fail(err, -r, OPT ": %s", derr.msg);
	*how = "ACPI SPCR";
	return spcr_uart(base, err);
}

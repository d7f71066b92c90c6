/* The Linux boot protocol's real-mode entry (Documentation/arch/x86/
 * boot.rst: "The real-mode kernel header", "Loading the rest of the
 * kernel", "Running the kernel"), as a BIOS boot loader does it: for
 * images whose own setup must run (iPXE's .lkrn, syslinux's memdisk,
 * kernels of protocols before 2.02) and any bzImage with --real-mode.
 *
 * The setup (boot sector and setup sectors, as in the file) goes at X
 * below 640 KiB, followed by its heap up to X + heap_end and the command
 * line right after; the header copy there is filled as the protocol's
 * sample boot configuration says. The protected-mode part and the
 * initrd were placed by bzimage.c (above 1 MiB). The purgatory drops to
 * real mode with CS = X/16 + 0x20, IP 0, DS = ES = FS = GS = SS = X/16,
 * SP = heap_end, and puts the BIOS-era 8259 and PIT settings back: the
 * setup, iPXE and memdisk call the BIOS, some of it with interrupts on. */
#include "loaders/bzimage.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "abi/x86_bootparam.h"
#include "core/le.h"
#include "core/placement.h"
#include "loaders/loader.h"

#define HDR(f) (KJ_SETUP_HEADER_OFFSET + offsetof(struct kj_setup_header, f))
#define CL_MAGIC_OFF 0x20 /* the old command line protocol (< 2.02) */
#define CL_OFFSET_OFF 0x22
#define CL_MAGIC 0xa33f
#define HEAP_END_HIGH 0xe000	/* 2.02 and loaded high */
#define HEAP_END_LOW 0x9800	/* older, or a zImage */
#define STACK_ROOM 0x200	/* heap_end_ptr = heap_end - 0x200 */
#define SETUP_MIN 0x10000ull	/* "between 0x10000 and end of low memory" */
#define LOW_LAST 0x9ffffull	/* below the EBDA and the VGA window */
#define ZIMAGE_SETUP 0x90000ull /* a zImage's setup must sit there */
#define SETUP_CS_OFFSET 0x20	/* paragraphs: the setup code at X + 0x200 */

/* X: as high as the block fits below 640 KiB (the BIOS keeps the low
 * pages; "as low as possible" in boot.rst is for room above, and
 * nothing here needs any), at 0x90000 for a zImage. */
static int place_block(const struct kj_layout *l, const struct kj_bzimage *bz,
		       size_t len, uint64_t *x, struct kj_err *err)
{
	const struct kj_place_req pr = {
		.what = "real-mode setup",
		.size = len,
		.min = SETUP_MIN,
		.max = LOW_LAST,
		.top_down = true,
		.why = "the real-mode setup, heap and command line stay below "
		       "640 KiB, --mem-min/--mem-max",
	};

	if (bz->loadflags & KJ_LOADED_HIGH)
		return kj_layout_place(l, &pr, x, err);
	*x = ZIMAGE_SETUP;
	if (!kj_layout_fits(l, *x,
			    (len + KJ_PAGE_SIZE - 1) & ~(KJ_PAGE_SIZE - 1)))
		return kj_fail(err, EADDRNOTAVAIL,
			       "%s: a zImage's setup must sit at 0x%" PRIx64
			       "-0x%" PRIx64 ", which is not free RAM",
			       l->name, *x, *x + len - 1);
	return 0;
}

/* The header as the protocol's sample boot configuration fills it. */
static void fill_header(uint8_t *b, const struct kj_bzimage *bz,
			const struct kj_load_input *in, uint64_t x,
			size_t heap_end, uint64_t kaddr, uint64_t iaddr)
{
	size_t cl_len = strlen(in->cmdline) + 1;

	b[HDR(type_of_loader)] = KJ_LOADER_TYPE_UNDEFINED;
	/* Moved by the loader: the setup jumps to code32_start. iPXE's 0
	 * means it finds itself and stays 0. */
	if (bz->code32_start && kaddr != bz->code32_start)
		kj_put_le32(b + HDR(code32_start), (uint32_t)kaddr);
	if (iaddr) {
		kj_put_le32(b + HDR(ramdisk_image), (uint32_t)iaddr);
		kj_put_le32(b + HDR(ramdisk_size), (uint32_t)in->initrd_len);
	}
	if (bz->version >= 0x0201) {
		kj_put_le16(b + HDR(heap_end_ptr),
			    (uint32_t)(heap_end - STACK_ROOM));
		b[HDR(loadflags)] |= KJ_CAN_USE_HEAP;
	}
	if (bz->version >= 0x0207)
		b[HDR(loadflags)] &= (uint8_t)~KJ_KEEP_SEGMENTS;
	if (bz->version >= 0x0202) {
		kj_put_le32(b + HDR(cmd_line_ptr), (uint32_t)(x + heap_end));
		b[HDR(ext_loader_ver)] = 0;
		b[HDR(ext_loader_type)] = 0;
	} else {
		kj_put_le16(b + CL_MAGIC_OFF, CL_MAGIC);
		kj_put_le16(b + CL_OFFSET_OFF, (uint32_t)heap_end);
		kj_put_le16(b + HDR(setup_move_size),
			    (uint32_t)(heap_end + cl_len));
	}
	memcpy(b + heap_end, in->cmdline, cl_len);
}

int kj_bzimage_add_real16(const struct kj_layout *l,
			  const struct kj_load_input *in,
			  const struct kj_bzimage *bz, uint64_t kaddr,
			  uint64_t iaddr, struct kj_err *err)
{
	bool high = bz->version >= 0x0202 && (bz->loadflags & KJ_LOADED_HIGH);
	size_t heap_end = high ? HEAP_END_HIGH : HEAP_END_LOW;
	size_t len = heap_end + strlen(in->cmdline) + 1;
	struct kj_plan *plan = l->plan;
	uint64_t x;
	uint8_t *b;
	int r;

	if (bz->setup_size > heap_end - STACK_ROOM)
		return kj_fail(
			err, ENOEXEC,
			"%s: %zu bytes of setup leave no room for its heap "
			"below 0x%zx",
			l->name, bz->setup_size, heap_end);
	if (kaddr + (in->kernel_len - bz->kernel_offset) > 0x100000000ull)
		return kj_fail(err, ERANGE,
			       "%s: real-mode entry needs the kernel below "
			       "4 GiB",
			       l->name);
	r = place_block(l, bz, len, &x, err);
	if (r < 0)
		return r;
	b = calloc(1, len);
	if (!b)
		return kj_fail(err, ENOMEM, "%s: out of memory", l->name);
	memcpy(b, in->kernel, bz->setup_size);
	fill_header(b, bz, in, x, heap_end, kaddr, iaddr);
	r = kj_plan_add(plan, "real-mode setup", b, len, x, len, true, err);
	if (r < 0)
		return r;
	plan->next.mode = KJ_MODE_X86_REAL16;
	plan->next.pc = x + (SETUP_CS_OFFSET << 4);
	plan->next.reg[0] = (uint64_t)((x >> 4) + SETUP_CS_OFFSET) << 16;
	plan->next.reg[1] = (x >> 4) << 16 | heap_end;
	plan->next.reg[2] = x >> 4;
	plan->next.reg[3] = (KJ_REAL16_LEGACY_PIC | KJ_REAL16_LEGACY_TIMER)
			    << 32;
	return 0;
}

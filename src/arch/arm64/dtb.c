/* The next arm64 kernel's device tree; see dtb.h. */
#include "arch/arm64/dtb.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "core/fdt_check.h"

#define RUNNING_NAME "/sys/firmware/fdt"
/* Room for what /chosen gains besides the command line and the seeds:
 * eight properties of at most 4 * 2 cells, their headers, names in the
 * strings block, a new /chosen node and alignment. */
#define EDIT_SLACK 1024

static int fdt_fail(struct kj_err *err, const char *name, const char *what,
		    int fdt_rc)
{
	return kj_fail(err, EINVAL, "%s: %s: %s", name, what,
		       fdt_strerror(fdt_rc));
}

/* A cell-encoded number; false if it does not fit the cells. */
static bool put_cells(uint8_t *out, size_t *pos, int cells, uint64_t v)
{
	if (cells == 1 && v > UINT32_MAX)
		return false;
	if (cells == 2) {
		fdt32_st(out + *pos, (uint32_t)(v >> 32));
		*pos += 4;
	}
	fdt32_st(out + *pos, (uint32_t)v);
	*pos += 4;
	return true;
}

/* Set name to <addr size>... in the root's cell sizes. */
static int set_ranges(void *fdt, int chosen, const char *name,
		      const struct kj_range *r, size_t n, const char *dtname,
		      struct kj_err *err)
{
	uint8_t val[KJ_ARM64_MAX_USABLE * 16];
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	size_t pos = 0;
	int rc;

	if (ac < 0 || sc < 0)
		return fdt_fail(err, dtname, "root #address-cells/#size-cells",
				ac < 0 ? ac : sc);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return kj_fail(err, EINVAL,
			       "%s: root #address-cells %d / #size-cells %d: "
			       "only 1 or 2 are supported",
			       dtname, ac, sc);
	for (size_t i = 0; i < n && i < KJ_ARM64_MAX_USABLE; i++)
		if (!put_cells(val, &pos, ac, r[i].start) ||
		    !put_cells(val, &pos, sc, r[i].end - r[i].start))
			return kj_fail(err, ERANGE,
				       "%s: %s 0x%" PRIx64 "-0x%" PRIx64
				       " does not fit the root's %d/%d cells",
				       dtname, name, r[i].start, r[i].end, ac,
				       sc);
	rc = fdt_setprop(fdt, chosen, name, val, (int)pos);
	return rc ? fdt_fail(err, dtname, name, rc) : 0;
}

static int del(void *fdt, int node, const char *name, const char *dtname,
	       struct kj_err *err)
{
	int rc = fdt_delprop(fdt, node, name);

	if (rc == 0 || rc == -FDT_ERR_NOTFOUND)
		return 0;
	return fdt_fail(err, dtname, name, rc);
}

static int set_u64(void *fdt, int node, const char *name, uint64_t v,
		   const char *dtname, struct kj_err *err)
{
	int rc = fdt_setprop_u64(fdt, node, name, v);

	return rc ? fdt_fail(err, dtname, name, rc) : 0;
}

/* The crash regions, highest first (Linux keeps the first as its own
 * memory and adds the second). */
static int usable_sorted(const struct kj_arm64_dtb_req *r,
			 struct kj_range out[KJ_ARM64_MAX_USABLE],
			 const char *dtname, struct kj_err *err)
{
	if (r->n_usable == 0 || r->n_usable > KJ_ARM64_MAX_USABLE)
		return kj_fail(err, EINVAL,
			       "%s: a panic load needs 1 or %d crash regions "
			       "for linux,usable-memory-range, not %zu",
			       dtname, KJ_ARM64_MAX_USABLE, r->n_usable);
	for (size_t i = 0; i < r->n_usable; i++) {
		if (r->usable[i].end <= r->usable[i].start)
			return kj_fail(err, EINVAL,
				       "%s: empty crash region 0x%" PRIx64,
				       dtname, r->usable[i].start);
		out[i] = r->usable[i];
	}
	if (r->n_usable == 2 && out[1].start > out[0].start) {
		struct kj_range t = out[0];

		out[0] = out[1];
		out[1] = t;
	}
	return 0;
}

static int edit_chosen(void *fdt, const struct kj_arm64_dtb_req *r,
		       const char *dtname, struct kj_err *err)
{
	const char *cmdline = r->cmdline ? r->cmdline : "";
	int chosen = fdt_path_offset(fdt, "/chosen");
	int rc;

	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return fdt_fail(err, dtname, "/chosen", chosen);

	rc = fdt_setprop_string(fdt, chosen, "bootargs", cmdline);
	if (rc)
		return fdt_fail(err, dtname, "bootargs", rc);

	if (r->initrd_size) {
		if (r->initrd_addr + r->initrd_size < r->initrd_addr)
			return kj_fail(err, EINVAL, "%s: initrd range wraps",
				       dtname);
		rc = set_u64(fdt, chosen, "linux,initrd-start", r->initrd_addr,
			     dtname, err);
		if (!rc)
			rc = set_u64(fdt, chosen, "linux,initrd-end",
				     r->initrd_addr + r->initrd_size, dtname,
				     err);
	} else {
		rc = del(fdt, chosen, "linux,initrd-start", dtname, err);
		if (!rc)
			rc = del(fdt, chosen, "linux,initrd-end", dtname, err);
	}
	if (rc)
		return rc;

	if (r->rng_seed && r->rng_seed_len >= KJ_ARM64_KASLR_SEED_LEN) {
		rc = fdt_setprop(fdt, chosen, "kaslr-seed", r->rng_seed,
				 KJ_ARM64_KASLR_SEED_LEN);
		if (rc)
			return fdt_fail(err, dtname, "kaslr-seed", rc);
		if (r->rng_seed_len > KJ_ARM64_KASLR_SEED_LEN)
			rc = fdt_setprop(fdt, chosen, "rng-seed",
					 r->rng_seed + KJ_ARM64_KASLR_SEED_LEN,
					 (int)(r->rng_seed_len -
					       KJ_ARM64_KASLR_SEED_LEN));
		else
			rc = fdt_delprop(fdt, chosen, "rng-seed");
		if (rc && rc != -FDT_ERR_NOTFOUND)
			return fdt_fail(err, dtname, "rng-seed", rc);
	} else {
		/* A used seed must not be handed on. */
		rc = del(fdt, chosen, "kaslr-seed", dtname, err);
		if (!rc)
			rc = del(fdt, chosen, "rng-seed", dtname, err);
		if (rc)
			return rc;
	}

	if (!r->panic) {
		rc = del(fdt, chosen, "linux,elfcorehdr", dtname, err);
		if (!rc)
			rc = del(fdt, chosen, "linux,usable-memory-range",
				 dtname, err);
		return rc;
	}
	{
		struct kj_range hdr = { r->elfcorehdr_addr,
					r->elfcorehdr_addr +
						r->elfcorehdr_size };
		struct kj_range u[KJ_ARM64_MAX_USABLE];

		if (!r->elfcorehdr_size || hdr.end < hdr.start)
			return kj_fail(err, EINVAL,
				       "%s: a panic load needs the ELF core "
				       "header's range",
				       dtname);
		rc = usable_sorted(r, u, dtname, err);
		if (!rc)
			rc = set_ranges(fdt, chosen, "linux,elfcorehdr", &hdr,
					1, dtname, err);
		if (!rc)
			rc = set_ranges(fdt, chosen,
					"linux,usable-memory-range", u,
					r->n_usable, dtname, err);
		return rc;
	}
}

int kj_arm64_dtb_build(const struct kj_arm64_dtb_req *r, uint8_t **buf,
		       size_t *len, struct kj_err *err)
{
	const uint8_t *base = r->dtb ? r->dtb : r->running;
	size_t base_len = r->dtb ? r->dtb_len : r->running_len;
	const char *name =
		r->dtb ? (r->dtb_name ? r->dtb_name : "--dtb") : RUNNING_NAME;
	size_t cmdlen = r->cmdline ? strlen(r->cmdline) : 0;
	const char *why;
	uint32_t total;
	size_t newsize;
	uint8_t *out;
	int rc;

	*buf = NULL;
	*len = 0;
	if (!base)
		return kj_fail(err, ENOENT,
			       RUNNING_NAME ": no device tree of the running "
					    "system; give one with --dtb FILE");
	if (base_len < sizeof(struct fdt_header))
		return kj_fail(err, EINVAL,
			       "%s: %zu bytes, too short for a "
			       "device tree",
			       name, base_len);
	if (fdt_magic(base) != FDT_MAGIC)
		return kj_fail(err, EINVAL, "%s: not a device tree (no magic)",
			       name);
	total = fdt_totalsize(base);
	if (total > base_len)
		return kj_fail(err, EINVAL,
			       "%s: truncated: the header says "
			       "%u bytes, the file has %zu",
			       name, total, base_len);
	if (total > KJ_ARM64_DTB_BASE_MAX)
		return kj_fail(err, EFBIG,
			       "%s: %u bytes, more than the %u a "
			       "device tree may have",
			       name, total, KJ_ARM64_DTB_BASE_MAX);
	/* Ours first: libfdt 1.6.1 can loop on what it should refuse. */
	why = kj_fdt_check(base, total);
	if (why)
		return kj_fail(err, EINVAL, "%s: malformed device tree: %s",
			       name, why);
	rc = fdt_check_full(base, total);
	if (rc)
		return fdt_fail(err, name, "malformed device tree", rc);
	if (cmdlen > KJ_ARM64_DTB_MAX || r->rng_seed_len > KJ_ARM64_DTB_MAX)
		return kj_fail(err, E2BIG,
			       "%s: command line or seed larger "
			       "than a device tree may be",
			       name);

	newsize = (size_t)total + cmdlen + 1 + r->rng_seed_len + EDIT_SLACK;
	out = malloc(newsize);
	if (!out)
		return kj_fail(err, ENOMEM, "%s: out of memory (%zu bytes)",
			       name, newsize);
	rc = fdt_open_into(base, out, (int)newsize);
	if (rc) {
		free(out);
		return fdt_fail(err, name, "cannot open the tree", rc);
	}
	rc = edit_chosen(out, r, name, err);
	if (!rc && (rc = fdt_pack(out)))
		rc = fdt_fail(err, name, "pack", rc);
	if (!rc && fdt_totalsize(out) > KJ_ARM64_DTB_MAX)
		rc = kj_fail(err, EFBIG,
			     "%s: the new device tree has %u "
			     "bytes, booting.rst allows %u",
			     name, fdt_totalsize(out), KJ_ARM64_DTB_MAX);
	if (rc) {
		free(out);
		return rc < 0 ? rc : -EINVAL;
	}
	*buf = out;
	*len = fdt_totalsize(out);
	return 0;
}

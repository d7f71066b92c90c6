/* A small read-only device tree walker for the arm64 probe (no libc, no
 * libfdt). It reads only trees that passed kj_fdt_check
 * (src/core/fdt_check.c, built into the probe too): that check is what
 * makes the walk safe, every offset below relies on it. Every read is
 * bytewise, because the probe runs with the MMU off, where an unaligned
 * access faults. */
#ifndef KJ_PROBE_ARM64_DT_H
#define KJ_PROBE_ARM64_DT_H

#include <stddef.h>
#include <stdint.h>

struct dt {
	const uint8_t *base;
	uint32_t size;	   /* totalsize */
	const uint8_t *st; /* structure block */
	uint32_t st_size;
	const uint8_t *str; /* strings block */
	uint32_t str_size;
	const uint8_t *rsv; /* memory reservation map */
};

/* NULL and *t filled, or what is wrong with the tree at p (at most
 * max_len bytes are looked at). */
const char *dt_open(struct dt *t, const void *p, uint64_t max_len);

/* Nodes are offsets into the structure block; -1 = none. */
int dt_root(const struct dt *t);
int dt_first_child(const struct dt *t, int node);
int dt_next_sibling(const struct dt *t, int node);
const char *dt_name(const struct dt *t, int node); /* "" for the root */
/* An absolute path ("/chosen", "/pl011@9000000"); a component without
 * a unit address also matches a node that has one. n = path length. */
int dt_path(const struct dt *t, const char *path, size_t n);

/* A property's value and length, or NULL. */
const uint8_t *dt_prop(const struct dt *t, int node, const char *name,
		       uint32_t *len);
/* #address-cells / #size-cells of node (for its children), with the
 * spec's defaults 2 and 1; 0 when out of range. */
uint32_t dt_cells(const struct dt *t, int node, const char *which);
/* 1 or 2 cells at p as a number. */
uint64_t dt_read_cells(const uint8_t *p, uint32_t cells);
/* Does a string-list property contain s? */
int dt_has_string(const uint8_t *v, uint32_t len, const char *s);

/* Memory reservation map entry i: 1 with its address and size, 0 at
 * the terminating entry. */
int dt_memreserve(const struct dt *t, unsigned int i, uint64_t *addr,
		  uint64_t *size);

#endif

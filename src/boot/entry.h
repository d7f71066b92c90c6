/* A boot entry found in another boot loader's configuration.
 *
 * Parsers (syslinux.c, grub.c, bls.c, lilo.c) turn config files into a list
 * of these; `kjump list` prints them and `kjump boot` loads one. Every path
 * is absolute within the root it was found on ("/boot/vmlinuz-6.1"). */
#ifndef KJ_BOOT_ENTRY_H
#define KJ_BOOT_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum kj_entry_type {
	KJ_ENTRY_LINUX,
	KJ_ENTRY_MULTIBOOT,
	KJ_ENTRY_MULTIBOOT2, /* GRUB multiboot2/module2 */
	KJ_ENTRY_UNSUPPORTED, /* e.g. a syslinux .c32 that is not a kernel */
};

enum kj_entry_source {
	KJ_SOURCE_SYSLINUX,
	KJ_SOURCE_GRUB,
	KJ_SOURCE_BLS,
	KJ_SOURCE_LILO,
};

struct kj_module {
	char *path;    /* absolute within the root */
	char *cmdline; /* as given, may be "" */
};

struct kj_entry {
	char *id;    /* stable identifier: label, --id, BLS file stem, ... */
	char *title; /* what a person sees */
	enum kj_entry_type type;
	char *kernel;  /* NULL only for KJ_ENTRY_UNSUPPORTED */
	char **initrd; /* in load order */
	size_t n_initrd;
	char *cmdline;    /* never NULL ("" when empty) */
	char *devicetree; /* NULL when none */
	struct kj_module *modules;
	size_t n_modules;
	bool is_default;
	enum kj_entry_source source;
	char *root_name;    /* the ROOT argument it was found under */
	char *config;       /* config path within the root */
	unsigned config_line;
	char *unsupported; /* why it cannot be booted, or NULL */
};

/* Warnings about broken configs: "path:line: reason", never fatal. */
struct kj_warnings {
	char **v;
	size_t n;
};

struct kj_entry_list {
	struct kj_entry *v;
	size_t n, cap;
};

/* Caps that keep a hostile disk from exhausting memory. */
#define KJ_MAX_ENTRIES 512
#define KJ_MAX_INITRDS 16
#define KJ_MAX_MODULES 16

const char *kj_entry_type_name(enum kj_entry_type type);
const char *kj_entry_source_name(enum kj_entry_source source);

/* Append a zeroed entry; returns it, or NULL when the list is full
 * (KJ_MAX_ENTRIES) or memory runs out. cmdline starts as "". */
struct kj_entry *kj_entry_list_add(struct kj_entry_list *list);
void kj_entry_list_free(struct kj_entry_list *list);
void kj_entry_free(struct kj_entry *e);

/* Helpers that take a copy of the string; 0 or -ENOMEM / -E2BIG. */
int kj_entry_set(char **field, const char *value);
int kj_entry_add_initrd(struct kj_entry *e, const char *path);
int kj_entry_add_module(struct kj_entry *e, const char *path,
			const char *cmdline);

/* Record a warning "config:line: message" (line 0 omits the number). */
void kj_warn(struct kj_warnings *w, const char *config, unsigned line,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void kj_warnings_free(struct kj_warnings *w);

#endif

#include "boot/entry.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KJ_MAX_WARNINGS 256

const char *kj_entry_type_name(enum kj_entry_type type)
{
	switch (type) {
	case KJ_ENTRY_LINUX:
		return "linux";
	case KJ_ENTRY_MULTIBOOT:
		return "multiboot";
	case KJ_ENTRY_MULTIBOOT2:
		return "multiboot2";
	case KJ_ENTRY_UNSUPPORTED:
		return "unsupported";
	}
	return "?";
}

const char *kj_entry_source_name(enum kj_entry_source source)
{
	switch (source) {
	case KJ_SOURCE_SYSLINUX:
		return "syslinux";
	case KJ_SOURCE_GRUB:
		return "grub";
	case KJ_SOURCE_BLS:
		return "bls";
	case KJ_SOURCE_LILO:
		return "lilo";
	}
	return "?";
}

struct kj_entry *kj_entry_list_add(struct kj_entry_list *list)
{
	struct kj_entry *e;

	if (list->n >= KJ_MAX_ENTRIES)
		return NULL;
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct kj_entry *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		list->v = v;
		list->cap = cap;
	}
	e = &list->v[list->n];
	memset(e, 0, sizeof(*e));
	e->cmdline = strdup("");
	if (!e->cmdline)
		return NULL;
	list->n++;
	return e;
}

void kj_entry_free(struct kj_entry *e)
{
	free(e->id);
	free(e->title);
	free(e->kernel);
	for (size_t i = 0; i < e->n_initrd; i++)
		free(e->initrd[i]);
	free(e->initrd);
	free(e->cmdline);
	free(e->devicetree);
	for (size_t i = 0; i < e->n_modules; i++) {
		free(e->modules[i].path);
		free(e->modules[i].cmdline);
	}
	free(e->modules);
	free(e->root_name);
	free(e->config);
	free(e->unsupported);
	memset(e, 0, sizeof(*e));
}

void kj_entry_list_free(struct kj_entry_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		kj_entry_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

int kj_entry_set(char **field, const char *value)
{
	char *copy = NULL;

	if (value) {
		copy = strdup(value);
		if (!copy)
			return -ENOMEM;
	}
	free(*field);
	*field = copy;
	return 0;
}

int kj_entry_add_initrd(struct kj_entry *e, const char *path)
{
	char **v;

	if (e->n_initrd >= KJ_MAX_INITRDS)
		return -E2BIG;
	v = realloc(e->initrd, (e->n_initrd + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	e->initrd = v;
	v[e->n_initrd] = strdup(path);
	if (!v[e->n_initrd])
		return -ENOMEM;
	e->n_initrd++;
	return 0;
}

int kj_entry_add_module(struct kj_entry *e, const char *path,
			const char *cmdline)
{
	struct kj_module *v;
	struct kj_module m;

	if (e->n_modules >= KJ_MAX_MODULES)
		return -E2BIG;
	m.path = strdup(path);
	m.cmdline = strdup(cmdline ? cmdline : "");
	if (!m.path || !m.cmdline) {
		free(m.path);
		free(m.cmdline);
		return -ENOMEM;
	}
	v = realloc(e->modules, (e->n_modules + 1) * sizeof(*v));
	if (!v) {
		free(m.path);
		free(m.cmdline);
		return -ENOMEM;
	}
	e->modules = v;
	v[e->n_modules++] = m;
	return 0;
}

void kj_warn(struct kj_warnings *w, const char *config, unsigned line,
	     const char *fmt, ...)
{
	char msg[512], full[1024];
	va_list ap;
	char **v;

	if (!w || w->n >= KJ_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->n == KJ_MAX_WARNINGS - 1)
		/* The last slot says that the list is cut. */
		snprintf(full, sizeof(full),
			 "%s: more than %d warnings, the rest is not shown",
			 config, KJ_MAX_WARNINGS - 1);
	else if (line)
		snprintf(full, sizeof(full), "%s:%u: %s", config, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", config, msg);
	v = realloc(w->v, (w->n + 1) * sizeof(*v));
	if (!v)
		return;
	w->v = v;
	v[w->n] = strdup(full);
	if (v[w->n])
		w->n++;
}

void kj_warnings_free(struct kj_warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

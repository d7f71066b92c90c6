/* Helpers shared by the boot-config parser tests: look entries up by id,
 * look for warnings, and dump a scan with KJ_TEST_VERBOSE=1. */
#ifndef KJ_ENTRIES_TESTLIB_H
#define KJ_ENTRIES_TESTLIB_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/entry.h"

static inline void kj_test_dump(const struct kj_entry_list *list,
				const struct kj_warnings *warn)
{
	if (!getenv("KJ_TEST_VERBOSE"))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct kj_entry *e = &list->v[i];

		printf("%s%s [%s] %s k=%s cmd='%s' n_initrd=%zu %s:%u %s\n",
		       e->is_default ? "*" : " ", e->id, e->title,
		       kj_entry_type_name(e->type), e->kernel ? e->kernel : "-",
		       e->cmdline, e->n_initrd, e->config, e->config_line,
		       e->unsupported ? e->unsupported : "");
	}
	for (size_t i = 0; i < warn->n; i++)
		printf("warning: %s\n", warn->v[i]);
}

static inline const struct kj_entry *
kj_test_find(const struct kj_entry_list *list, const char *id)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->v[i].id, id) == 0)
			return &list->v[i];
	return NULL;
}

static inline const struct kj_entry *
kj_test_get(const struct kj_entry_list *list, const char *id)
{
	const struct kj_entry *e = kj_test_find(list, id);

	if (!e)
		fail_msg("no entry %s", id);
	return e;
}

static inline bool kj_test_has_warning(const struct kj_warnings *warn,
				       const char *part)
{
	for (size_t i = 0; i < warn->n; i++)
		if (strstr(warn->v[i], part))
			return true;
	return false;
}

/* For tests that keep a scan in a struct with `list` and `warn`. */
#define dump(res) kj_test_dump(&(res)->list, &(res)->warn)
#define find(res, id) kj_test_find(&(res)->list, (id))
#define get(res, id) kj_test_get(&(res)->list, (id))
#define has_warning(res, part) kj_test_has_warning(&(res)->warn, (part))
#define result_free(res)                          \
	do {                                      \
		kj_entry_list_free(&(res)->list); \
		kj_warnings_free(&(res)->warn);   \
	} while (0)

#endif

/* /etc/kjump.conf: the boot loader's own settings, one per line.
 *
 *   # comment
 *   set-arg vga=normal        rewrite rules, applied to every entry in
 *   remove-arg splash         order, after those of the command line
 *   timeout 5                 seconds before the default boots
 *   wait 5                    seconds to keep looking for disks
 *   default ID|TITLE          the entry to boot by default
 *   state DEVICE|FILE         where the one-shot record lives when there
 *                             is no efivarfs (see boot/oneshot.h)
 *
 * A bad line is a warning, never fatal: a boot loader must still boot. */
#ifndef KJ_BOOT_MENU_CONF_H
#define KJ_BOOT_MENU_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/entry.h"
#include "core/err.h"

#define KJ_CONF_MAX_RULES 32
#define KJ_CONF_MAX_SIZE (64u << 10)

struct kj_conf_rule {
	bool set; /* set-arg, else remove-arg */
	char *arg;
};

struct kj_menu_conf {
	struct kj_conf_rule rules[KJ_CONF_MAX_RULES];
	size_t n_rules;
	long timeout; /* seconds, -1 when not given */
	long wait;    /* seconds, -1 when not given */
	char *default_entry;
	char *state;
};

/* Parse text (len bytes, need not be NUL-terminated); name is used in
 * warnings ("kjump.conf:3: ..."). Fails only when memory runs out. */
int kj_menu_conf_parse(struct kj_menu_conf *conf, const char *name,
		       const char *text, size_t len, struct kj_warnings *w,
		       struct kj_err *err);

/* Read and parse a file; a missing file is an empty config. */
int kj_menu_conf_load(struct kj_menu_conf *conf, const char *path,
		      struct kj_warnings *w, struct kj_err *err);

void kj_menu_conf_free(struct kj_menu_conf *conf);

#endif

/* The menu's state without a terminal: which entry is highlighted, the
 * number being typed, and the countdown to the default entry. Time is
 * passed in (milliseconds on any monotonic clock), so tests drive it
 * with a fake clock. Entries are numbered from 1 on screen, from 0 here. */
#ifndef KJ_BOOT_MENU_MODEL_H
#define KJ_BOOT_MENU_MODEL_H

#include <stdbool.h>
#include <stddef.h>

enum kj_menu_action {
	KJ_MENU_NONE,	/* nothing visible changed */
	KJ_MENU_REDRAW, /* the highlight or typed number changed */
	KJ_MENU_BOOT,	/* boot entry *target */
	KJ_MENU_EDIT,	/* edit the command line of entry *target */
	KJ_MENU_RESCAN,
	KJ_MENU_SHELL,
	KJ_MENU_QUIT,
};

struct kj_menu_model {
	size_t n;    /* entries */
	long sel;    /* highlighted, -1 when there are none */
	long def;    /* default, -1 when there is none */
	char num[8]; /* digits typed so far */
	size_t n_num;
	bool counting;	    /* the countdown runs */
	long long deadline; /* ms, when counting */
};

/* timeout_ms < 0: no countdown (wait for a key). */
void kj_menu_model_init(struct kj_menu_model *m, size_t n, long def,
			long timeout_ms, long long now);

/* The entries changed (rescan): keep the highlight on sel when it is
 * still valid, else put it on the default. The countdown is unchanged. */
void kj_menu_model_reset(struct kj_menu_model *m, size_t n, long def, long sel);

/* A key (enum kj_key); any key stops the countdown. */
enum kj_menu_action kj_menu_model_key(struct kj_menu_model *m, int key,
				      long *target);

/* Time passed: KJ_MENU_BOOT of the default when the countdown ran out
 * (never with no entries or no default: the menu keeps waiting). */
enum kj_menu_action kj_menu_model_tick(struct kj_menu_model *m, long long now,
				       long *target);

/* Whole seconds left on the countdown, rounded up; -1 when stopped. */
long kj_menu_model_seconds_left(const struct kj_menu_model *m, long long now);

/* Milliseconds until the countdown's displayed second changes (for the
 * poll timeout), or -1 when stopped. */
long kj_menu_model_next_tick(const struct kj_menu_model *m, long long now);

#endif

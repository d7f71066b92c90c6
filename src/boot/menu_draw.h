/* Drawing the menu as lines of text. On a dumb terminal the whole menu is
 * printed once (and after a rescan), and one status line below it is
 * rewritten with a carriage return; with ANSI the screen is redrawn and
 * the highlighted entry shown in reverse video. */
#ifndef KJ_BOOT_MENU_DRAW_H
#define KJ_BOOT_MENU_DRAW_H

#include <stdbool.h>
#include <stdio.h>

#include "boot/entry.h"
#include "boot/menu_edit.h"
#include "boot/menu_model.h"
#include "boot/scan.h"

#define KJ_MENU_WIDTH 78 /* columns a serial console surely has */

struct kj_menu_screen {
	FILE *out;
	bool ansi;
	size_t status_len; /* of the status line now shown, to blank it */
};

/* The whole menu: entries grouped by the device they are on, numbered
 * from 1, the default marked '*', the highlight '>' (or reverse video);
 * then warnings, the last error (may be NULL) and the keys. */
void kj_menu_draw(struct kj_menu_screen *s, const struct kj_scan *scan,
		  const struct kj_warnings *conf_warnings,
		  const struct kj_menu_model *m, const char *error);

/* Rewrite the status line: the countdown (secs >= 0), the number being
 * typed, or the highlighted entry. */
void kj_menu_draw_status(struct kj_menu_screen *s, const struct kj_scan *scan,
			 const struct kj_menu_model *m, long secs);

/* Rewrite the editor line, scrolled so that the cursor is visible. */
void kj_menu_draw_edit(struct kj_menu_screen *s, const struct kj_edit *ed);

/* End the status line (before other output). */
void kj_menu_draw_newline(struct kj_menu_screen *s);

#endif

/* A one-line editor for a boot entry's command line: insert at the
 * cursor, left/right, home/end, backspace/delete. Enter accepts, Esc or
 * Ctrl-C cancels. Drawing is the terminal code's business. */
#ifndef KJ_BOOT_MENU_EDIT_H
#define KJ_BOOT_MENU_EDIT_H

#include <stddef.h>

#define KJ_EDIT_MAX 4096 /* the kernel's COMMAND_LINE_SIZE on x86 is 2048 */

enum kj_edit_result {
	KJ_EDIT_CONTINUE,
	KJ_EDIT_ACCEPT,
	KJ_EDIT_CANCEL,
};

struct kj_edit {
	char text[KJ_EDIT_MAX]; /* NUL-terminated */
	size_t len, cur;	/* bytes; cur <= len */
};

/* Start editing text (cut at KJ_EDIT_MAX - 1 bytes), cursor at the end. */
void kj_edit_init(struct kj_edit *ed, const char *text);

/* Apply one key (enum kj_key); a character past the cap is dropped. */
enum kj_edit_result kj_edit_key(struct kj_edit *ed, int key);

#endif

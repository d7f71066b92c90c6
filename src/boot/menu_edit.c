#include "boot/menu_edit.h"

#include <string.h>

#include "boot/menu_keys.h"

void kj_edit_init(struct kj_edit *ed, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	if (n > KJ_EDIT_MAX - 1)
		n = KJ_EDIT_MAX - 1;
	memcpy(ed->text, text ? text : "", n);
	ed->text[n] = '\0';
	ed->len = ed->cur = n;
}

static void erase_at(struct kj_edit *ed, size_t at)
{
	memmove(ed->text + at, ed->text + at + 1, ed->len - at);
	ed->len--;
}

enum kj_edit_result kj_edit_key(struct kj_edit *ed, int key)
{
	switch (key) {
	case KJ_KEY_ENTER:
		return KJ_EDIT_ACCEPT;
	case KJ_KEY_ESC:
	case KJ_KEY_INTERRUPT:
		return KJ_EDIT_CANCEL;
	case KJ_KEY_LEFT:
		if (ed->cur > 0)
			ed->cur--;
		break;
	case KJ_KEY_RIGHT:
		if (ed->cur < ed->len)
			ed->cur++;
		break;
	case KJ_KEY_HOME:
		ed->cur = 0;
		break;
	case KJ_KEY_END:
		ed->cur = ed->len;
		break;
	case KJ_KEY_BACKSPACE:
		if (ed->cur > 0)
			erase_at(ed, --ed->cur);
		break;
	case KJ_KEY_DELETE:
		if (ed->cur < ed->len)
			erase_at(ed, ed->cur);
		break;
	default:
		if (key < 0x20 || key > 0xff || key == 0x7f ||
		    ed->len >= KJ_EDIT_MAX - 1)
			break;
		memmove(ed->text + ed->cur + 1, ed->text + ed->cur,
			ed->len - ed->cur + 1);
		ed->text[ed->cur++] = (char)key;
		ed->len++;
	}
	return KJ_EDIT_CONTINUE;
}

/* libFuzzer target for the menu's input handling: the bytes are both a
 * kjump.conf (src/boot/menu_conf.c) and keystrokes from a serial line
 * driving the key decoder, the menu model and the line editor. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boot/menu_conf.h"
#include "boot/menu_edit.h"
#include "boot/menu_keys.h"
#include "boot/menu_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keystrokes(const uint8_t *data, size_t size)
{
	static struct kj_edit ed;
	struct kj_menu_model m;
	struct kj_keydec d;
	bool editing = false;
	long t;

	kj_keydec_init(&d);
	kj_menu_model_init(&m, 7, 3, 1000, 0);
	for (size_t i = 0; i < size; i++) {
		int key = kj_keydec_feed(&d, data[i]);

		if (key == KJ_KEY_NONE)
			continue;
		if (editing) {
			if (kj_edit_key(&ed, key) != KJ_EDIT_CONTINUE)
				editing = false;
			if (ed.cur > ed.len || ed.len >= KJ_EDIT_MAX ||
			    strlen(ed.text) != ed.len)
				__builtin_trap();
			continue;
		}
		t = -1;
		switch (kj_menu_model_key(&m, key, &t)) {
		case KJ_MENU_EDIT:
			kj_edit_init(&ed, "console=ttyS0 quiet");
			editing = true;
			/* fall through */
		case KJ_MENU_BOOT:
			if (t < 0 || t >= 7)
				__builtin_trap();
			break;
		default:
			break;
		}
		if (m.sel < 0 || m.sel >= 7 || m.n_num >= sizeof(m.num))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kj_menu_conf conf;
	struct kj_warnings w = { 0 };
	struct kj_err err = { 0 };

	if (kj_menu_conf_parse(&conf, "kjump.conf", (const char *)data, size,
			       &w, &err) == 0) {
		for (size_t i = 0; i < conf.n_rules; i++)
			if (!conf.rules[i].arg || !conf.rules[i].arg[0])
				__builtin_trap();
		kj_menu_conf_free(&conf);
	}
	kj_warnings_free(&w);
	keystrokes(data, size);
	return 0;
}

/* Command-line composition: --reuse-cmdline filtering, append, rewrite. */
#include "testlib.h"

#include "core/cmdline.h"

static void reuse_drops_boot_image_and_crashkernel(void **state)
{
	const char *running = "BOOT_IMAGE=/boot/vmlinuz-6.1 root=UUID=abc ro "
			      "crashkernel=256M quiet\n";
	struct kj_cmdline cl;

	assert_int_equal(kj_cmdline_reuse(&cl, running, false), 0);
	assert_string_equal(cl.text, "root=UUID=abc ro crashkernel=256M quiet");
	kj_cmdline_free(&cl);
	assert_int_equal(kj_cmdline_reuse(&cl, running, true), 0);
	assert_string_equal(cl.text, "root=UUID=abc ro quiet");
	assert_int_equal(kj_cmdline_append(&cl, "  console=ttyS0 \n"), 0);
	assert_string_equal(cl.text, "root=UUID=abc ro quiet console=ttyS0");
	kj_cmdline_free(&cl);
}

static void set_and_remove_args(void **state)
{
	struct kj_cmdline cl;

	kj_cmdline_init(&cl, "quiet splash vga=791 splash=silent "
			     "opt=\"a b\" ro");
	assert_int_equal(kj_cmdline_remove_arg(&cl, "splash"), 0);
	assert_string_equal(cl.text, "quiet vga=791 opt=\"a b\" ro");
	assert_int_equal(kj_cmdline_set_arg(&cl, "vga=normal"), 0);
	assert_string_equal(cl.text, "quiet vga=normal opt=\"a b\" ro");
	assert_int_equal(kj_cmdline_set_arg(&cl, "console=ttyS0"), 0);
	assert_string_equal(cl.text,
			    "quiet vga=normal opt=\"a b\" ro console=ttyS0");
	/* A quoted value with spaces is one word. */
	assert_int_equal(kj_cmdline_remove_arg(&cl, "opt"), 0);
	assert_string_equal(cl.text, "quiet vga=normal ro console=ttyS0");
	/* A name prefix is not the name: "r" must not remove "ro". */
	assert_int_equal(kj_cmdline_remove_arg(&cl, "r"), 0);
	assert_string_equal(cl.text, "quiet vga=normal ro console=ttyS0");
	kj_cmdline_free(&cl);

	/* A word quoted as a whole, as GRUB writes one with a blank. */
	kj_cmdline_init(&cl, "\"opt=a b\" \"flag\" \"optx=1\" ro");
	assert_int_equal(kj_cmdline_set_arg(&cl, "opt=c"), 0);
	assert_string_equal(cl.text, "opt=c \"flag\" \"optx=1\" ro");
	assert_int_equal(kj_cmdline_remove_arg(&cl, "flag"), 0);
	assert_string_equal(cl.text, "opt=c \"optx=1\" ro");
	kj_cmdline_free(&cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reuse_drops_boot_image_and_crashkernel),
		cmocka_unit_test(set_and_remove_args),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}

/* grub.cfg evaluation over in-memory roots (and the real grub.cfg of
 * Debian's netboot installer when KJ_NETBOOT_DIR is set). */
#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "boot/grub.h"

#define F(p, s)                     \
	{                           \
		p, s, sizeof(s) - 1 \
	}
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fx {
	struct kj_root roots[2];
	struct kj_rootset set;
	struct kj_entry_list out;
	struct kj_warnings warn;
	struct kj_grub_info info;
	int r;
};

static struct fx fx;
static const char *uuid0 = "ABCD-1234"; /* disk0's filesystem UUID */

static void dump(void)
{
	if (!getenv("KJ_TEST_VERBOSE"))
		return;
	for (size_t i = 0; i < fx.warn.n; i++)
		fprintf(stderr, "  warning: %s\n", fx.warn.v[i]);
	for (size_t i = 0; i < fx.out.n; i++)
		fprintf(stderr, "  entry %zu%s: [%s] id=%s kernel=%s cmd=%s\n",
			i, fx.out.v[i].is_default ? "*" : "", fx.out.v[i].title,
			fx.out.v[i].id, fx.out.v[i].kernel,
			fx.out.v[i].cmdline);
}

/* Scan root 0 (disk0) with root 1 (disk1) alongside when f1 is given. */
static int scan2(const struct kj_memfile *f0, size_t n0,
		 const struct kj_memfile *f1, size_t n1, const char *config)
{
	memset(&fx, 0, sizeof(fx));
	fx.roots[0] = (struct kj_root){ .name = "disk0",
					.dirfd = -1,
					.mem = f0,
					.n_mem = n0,
					.fs_uuid = (char *)uuid0,
					.fs_label = "ESP" };
	fx.roots[1] = (struct kj_root){
		.name = "disk1",
		.dirfd = -1,
		.mem = f1,
		.n_mem = n1,
		.fs_uuid = "0a1b2c3d-1111-2222-3333-444455556666",
		.fs_label = "DATA"
	};
	fx.set.v = fx.roots;
	fx.set.n = f1 ? 2 : 1;
	fx.r = kj_grub_scan_config(&fx.set, 0, config, &fx.out, &fx.info,
				   &fx.warn);
	dump();
	return fx.r;
}

static int scan(const struct kj_memfile *f, size_t n)
{
	return scan2(f, n, NULL, 0, NULL);
}

static int cfg(const char *text)
{
	static struct kj_memfile f;

	f.path = "/boot/grub/grub.cfg";
	f.data = text;
	f.size = strlen(text);
	return scan(&f, 1);
}

static void done(void)
{
	kj_entry_list_free(&fx.out);
	kj_warnings_free(&fx.warn);
	kj_grub_info_free(&fx.info);
}

static const struct kj_entry *entry(const char *title)
{
	for (size_t i = 0; i < fx.out.n; i++)
		if (!strcmp(fx.out.v[i].title, title))
			return &fx.out.v[i];
	fail_msg("no entry titled \"%s\"", title);
	return NULL;
}

static const struct kj_entry *find_title(const char *title)
{
	for (size_t i = 0; i < fx.out.n; i++)
		if (!strcmp(fx.out.v[i].title, title))
			return &fx.out.v[i];
	return NULL;
}

static const struct kj_entry *the_default(void)
{
	const struct kj_entry *d = NULL;

	for (size_t i = 0; i < fx.out.n; i++) {
		if (fx.out.v[i].is_default) {
			assert_null(d);
			d = &fx.out.v[i];
		}
	}
	assert_non_null(d);
	return d;
}

static bool warned(const char *needle)
{
	for (size_t i = 0; i < fx.warn.n; i++)
		if (strstr(fx.warn.v[i], needle))
			return true;
	return false;
}

static void test_quoting(void **state)
{
	(void)state;
	assert_int_equal(cfg("# a comment line\n"
			     "set a='single $x \"q\" # not a comment'\n"
			     "set b=\"dq $a \\\"e\\\" \\$lit \\\\ \\n\"\n"
			     "set c=back\\ slash\\;semi d=a#b # comment\n"
			     "set long=one\\\n"
			     "two; set e=\"multi\n"
			     "line\"\n"
			     "set f=${long}x$long.y$\n"
			     "set empty=\"\"\n"
			     "menuentry \"$a|$b|$c|$d\" {\n"
			     "\tlinux /vmlinuz 'x=a b' $long \\\n"
			     "\t\t${empty} \"\" ro\n"
			     "}\n"
			     "menuentry \"$e|$f\" { linux /v; }\n"),
			 2);
	assert_string_equal(fx.out.v[0].title,
			    "single $x \"q\" # not a comment|dq single $x "
			    "\"q\" # not a comment \"e\" $lit \\ \\n|back "
			    "slash;semi|a#b");
	/* 'x=a b' is quoted again as a whole (GRUB's command-line builder),
	 * $empty vanishes, "" stays an empty word. */
	assert_string_equal(fx.out.v[0].cmdline, "\"x=a b\" onetwo  ro");
	assert_string_equal(fx.out.v[0].kernel, "/vmlinuz");
	assert_int_equal(fx.out.v[0].config_line, 10);
	assert_string_equal(fx.out.v[0].config, "/boot/grub/grub.cfg");
	assert_int_equal(fx.out.v[0].source, KJ_SOURCE_GRUB);
	assert_string_equal(fx.out.v[1].title, "multi\nline|onetwoxonetwo.y$");
	assert_int_equal(fx.out.v[1].config_line, 14);
	assert_int_equal(fx.warn.n, 0);
	done();

	assert_int_equal(cfg("menuentry 'unterminated { linux /x }\n"), 0);
	assert_true(warned("grub.cfg:1: unterminated ' quote"));
	done();
}

static void test_if_test(void **state)
{
	const struct kj_memfile files[] = {
		F("/boot/grub/grub.cfg",
		  "set v=2\n"
		  "if [ \"$v\" = 1 ]; then set r=one\n"
		  "elif [ \"$v\" = 2 ]; then\n"
		  "  set r=two\n"
		  "  if [ -n \"$r\" -a -z \"$nothing\" ]; then set z=yes; "
		  "else set z=no; fi\n"
		  "else set r=other; fi\n"
		  "if [ -f /boot/vmlinuz ]; then f=have; else f=none; fi\n"
		  "if [ -e /nonexistent ]; then g=bad; else g=good; fi\n"
		  "if [ -d /boot ]; then d=dir; fi\n"
		  "if test -s ($root)/boot/vmlinuz; then s=size; fi\n"
		  "if ! [ 3 -lt 2 ]; then n=not; fi\n"
		  "if ! ! ! true; then n=bad; fi\n"
		  "if ! ! true; then n2=nn; fi\n"
		  "if [ 3 -gt 2 -o x = y ]; then o=or; fi\n"
		  "if [ x$undefined = x ]; then u=unset; fi\n"
		  "if false; then q=1; elif false; then q=2; else q=3; fi\n"
		  "if [ ( a = b ) ]; then p=bad; else p=paren; fi\n"
		  "if [ a != b ]; then ne=ne; fi\n"
		  "menuentry \"$r $z $f $g $d $s $n$n2 $o $u $q $p $ne\" {\n"
		  "  linux /boot/vmlinuz\n"
		  "}\n"),
		F("/boot/vmlinuz", "kernel"),
	};

	(void)state;
	assert_int_equal(scan(files, N(files)), 1);
	assert_string_equal(fx.out.v[0].title,
			    "two yes have good dir size notnn or unset 3 "
			    "paren ne");
	assert_int_equal(fx.warn.n, 0);
	done();

	assert_int_equal(cfg("if true; then\nmenuentry a { linux /a; }\n"), 1);
	assert_true(warned("grub.cfg:1: if without fi"));
	done();
	assert_int_equal(cfg("fi\n}\nthen\nmenuentry a { linux /a; }\n"
			     "if [ a = a ; then set x=1; fi\n"),
			 1);
	assert_true(warned("grub.cfg:1: unexpected fi"));
	assert_true(warned("grub.cfg:2: unexpected }"));
	assert_true(warned("grub.cfg:5: [ without ]"));
	done();
}

static void test_functions(void **state)
{
	(void)state;
	assert_int_equal(
		cfg("function is_two {\n"
		    "  if [ \"$1\" = 2 ]; then return 0; fi\n"
		    "  return 1\n"
		    "}\n"
		    "function add_linux {\n"
		    "  set ver=\"$1\"\n"
		    "  menuentry \"Linux $1 ($#)\" --id \"lin-$1\" {\n"
		    "    linux /boot/vmlinuz-$ver root=/dev/sda1 $2\n"
		    "  }\n"
		    "}\n"
		    "if is_two 2; then ok=yes; fi\n"
		    "if is_two 3; then bad=yes; fi\n"
		    "add_linux 6.1 quiet\n"
		    "add_linux 6.2\n"
		    "menuentry \"$ok $bad $?\" { linux /x; }\n"
		    "function add_linux { set redefined=1; }\n"
		    "add_linux 7\n"
		    "menuentry \"$redefined\" --id \"$1$#\" { linux /y; }\n"),
		4);
	assert_string_equal(fx.out.v[0].title, "Linux 6.1 (2)");
	assert_string_equal(fx.out.v[0].id, "lin-6.1");
	assert_string_equal(fx.out.v[0].kernel, "/boot/vmlinuz-6.1");
	/* Inside the body $1/$2 are the menuentry's own arguments. */
	assert_string_equal(fx.out.v[0].cmdline, "root=/dev/sda1");
	assert_string_equal(fx.out.v[1].kernel, "/boot/vmlinuz-6.2");
	assert_string_equal(fx.out.v[2].title, "yes  0");
	assert_string_equal(fx.out.v[3].title, "1");
	assert_string_equal(fx.out.v[3].id, "0");
	assert_int_equal(fx.warn.n, 0);
	done();

	/* Runaway recursion is capped. */
	assert_int_equal(cfg("function f { f; f; }\nf\n"
			     "menuentry after { linux /a; }\n"),
			 0);
	assert_true(warned("nested deeper than") ||
		    warned("commands evaluated"));
	done();
}

static void test_loader_commands(void **state)
{
	const struct kj_entry *e;

	(void)state;
	assert_int_equal(
		cfg("menuentry efi {\n"
		    "  linuxefi /boot/vmlinuz-efi root=/dev/sda2\n"
		    "  initrdefi /boot/ucode.img ($root)/boot/initrd.img\n"
		    "  initrd16 /boot/more.img\n"
		    "  devicetree /boot/dtbs/board.dtb\n"
		    "}\n"
		    "menuentry bios { linux16 /boot/memtest86+.bin; }\n"
		    "menuentry mb1 {\n"
		    "  multiboot --quirk-bad-kludge /boot/kernel.elf a=1\n"
		    "  module /boot/mod1 m=1 'n=x y'\n"
		    "}\n"
		    "menuentry orphan { module2 /boot/m; }\n"),
		4);
	e = entry("efi");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/boot/vmlinuz-efi");
	assert_string_equal(e->cmdline, "root=/dev/sda2");
	assert_int_equal(e->n_initrd, 3);
	assert_string_equal(e->initrd[0], "/boot/ucode.img");
	assert_string_equal(e->initrd[1], "/boot/initrd.img");
	assert_string_equal(e->initrd[2], "/boot/more.img");
	assert_string_equal(e->devicetree, "/boot/dtbs/board.dtb");
	assert_string_equal(e->root_name, "disk0");
	e = entry("bios");
	assert_string_equal(e->kernel, "/boot/memtest86+.bin");
	assert_int_equal(e->n_initrd, 0);
	assert_null(e->devicetree);
	e = entry("mb1");
	assert_int_equal(e->type, KJ_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel, "/boot/kernel.elf");
	assert_string_equal(e->cmdline, "a=1");
	assert_int_equal(e->n_modules, 1);
	assert_string_equal(e->modules[0].cmdline, "m=1 \"n=x y\"");
	assert_true(warned("grub.cfg:12: module2 before multiboot"));
	assert_int_equal(fx.warn.n, 1);
	done();
}

static const char debian_cfg[] =
	"#\n"
	"# DO NOT EDIT THIS FILE\n"
	"#\n"
	"### BEGIN /etc/grub.d/00_header ###\n"
	"if [ -s $prefix/grubenv ]; then\n"
	"  set have_grubenv=true\n"
	"  load_env\n"
	"fi\n"
	"if [ \"${next_entry}\" ] ; then\n"
	"   set default=\"${next_entry}\"\n"
	"   set next_entry=\n"
	"   save_env next_entry\n"
	"   set boot_once=true\n"
	"else\n"
	"   set default=\"${saved_entry}\"\n"
	"fi\n"
	"\n"
	"if [ x\"${feature_menuentry_id}\" = xy ]; then\n"
	"  menuentry_id_option=\"--id\"\n"
	"else\n"
	"  menuentry_id_option=\"\"\n"
	"fi\n"
	"\n"
	"export menuentry_id_option\n"
	"\n"
	"if [ \"${prev_saved_entry}\" ]; then\n"
	"  set saved_entry=\"${prev_saved_entry}\"\n"
	"  save_env saved_entry\n"
	"  set prev_saved_entry=\n"
	"  save_env prev_saved_entry\n"
	"  set boot_once=true\n"
	"fi\n"
	"\n"
	"function savedefault {\n"
	"  if [ -z \"${boot_once}\" ]; then\n"
	"    saved_entry=\"${chosen}\"\n"
	"    save_env saved_entry\n"
	"  fi\n"
	"}\n"
	"function load_video {\n"
	"  if [ x$feature_all_video_module = xy ]; then\n"
	"    insmod all_video\n"
	"  else\n"
	"    insmod efi_gop\n"
	"    insmod efi_uga\n"
	"    insmod ieee1275_fb\n"
	"    insmod vbe\n"
	"    insmod vga\n"
	"    insmod video_bochs\n"
	"    insmod video_cirrus\n"
	"  fi\n"
	"}\n"
	"\n"
	"if [ x$feature_default_font_path = xy ] ; then\n"
	"   font=unicode\n"
	"else\n"
	"insmod part_gpt\n"
	"insmod ext2\n"
	"set root='hd0,gpt2'\n"
	"if [ x$feature_platform_search_hint = xy ]; then\n"
	"  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt2 "
	"--hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2  "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"else\n"
	"  search --no-floppy --fs-uuid --set=root "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"fi\n"
	"    font=\"/usr/share/grub/unicode.pf2\"\n"
	"fi\n"
	"\n"
	"if loadfont $font ; then\n"
	"  set gfxmode=auto\n"
	"  load_video\n"
	"  insmod gfxterm\n"
	"  set locale_dir=$prefix/locale\n"
	"  set lang=en_US\n"
	"  insmod gettext\n"
	"fi\n"
	"terminal_output gfxterm\n"
	"if [ \"${recordfail}\" = 1 ] ; then\n"
	"  set timeout=30\n"
	"else\n"
	"  if [ x$feature_timeout_style = xy ] ; then\n"
	"    set timeout_style=menu\n"
	"    set timeout=5\n"
	"  # Fallback normal timeout code in case the timeout_style feature "
	"is\n"
	"  # unavailable.\n"
	"  else\n"
	"    set timeout=5\n"
	"  fi\n"
	"fi\n"
	"### END /etc/grub.d/00_header ###\n"
	"\n"
	"### BEGIN /etc/grub.d/05_debian_theme ###\n"
	"insmod part_gpt\n"
	"insmod ext2\n"
	"set root='hd0,gpt2'\n"
	"if [ x$feature_platform_search_hint = xy ]; then\n"
	"  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt2 "
	"--hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2  "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"else\n"
	"  search --no-floppy --fs-uuid --set=root "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"fi\n"
	"insmod png\n"
	"if background_image "
	"/usr/share/desktop-base/emerald-theme/grub/grub-4x3.png; then\n"
	"  set color_normal=white/black\n"
	"  set color_highlight=black/white\n"
	"else\n"
	"  set menu_color_normal=cyan/blue\n"
	"  set menu_color_highlight=white/blue\n"
	"fi\n"
	"### END /etc/grub.d/05_debian_theme ###\n"
	"\n"
	"### BEGIN /etc/grub.d/10_linux ###\n"
	"function gfxmode {\n"
	"\tset gfxpayload=\"${1}\"\n"
	"}\n"
	"set linux_gfx_mode=\n"
	"export linux_gfx_mode\n"
	"menuentry 'Debian GNU/Linux' --class debian --class gnu-linux "
	"--class gnu --class os $menuentry_id_option "
	"'gnulinux-simple-0a1b2c3d-1111-2222-3333-444455556666' {\n"
	"\tload_video\n"
	"\tinsmod gzio\n"
	"\tif [ x$grub_platform = xxen ]; then insmod xzio; insmod lzopio; "
	"fi\n"
	"\tinsmod part_gpt\n"
	"\tinsmod ext2\n"
	"\tset root='hd0,gpt2'\n"
	"\tif [ x$feature_platform_search_hint = xy ]; then\n"
	"\t  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt2 "
	"--hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2  "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"\telse\n"
	"\t  search --no-floppy --fs-uuid --set=root "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"\tfi\n"
	"\techo\t'Loading Linux 6.1.0-13-amd64 ...'\n"
	"\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 "
	"root=UUID=0a1b2c3d-1111-2222-3333-444455556666 ro  quiet\n"
	"\techo\t'Loading initial ramdisk ...'\n"
	"\tinitrd\t/boot/initrd.img-6.1.0-13-amd64\n"
	"}\n"
	"submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option "
	"'gnulinux-advanced-0a1b2c3d-1111-2222-3333-444455556666' {\n"
	"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-13-amd64' --class "
	"debian --class gnu-linux --class gnu --class os $menuentry_id_option "
	"'gnulinux-6.1.0-13-amd64-advanced-"
	"0a1b2c3d-1111-2222-3333-444455556666' {\n"
	"\t\tload_video\n"
	"\t\tinsmod gzio\n"
	"\t\tset root='hd0,gpt2'\n"
	"\t\tsearch --no-floppy --fs-uuid --set=root "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"\t\techo\t'Loading Linux 6.1.0-13-amd64 ...'\n"
	"\t\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 "
	"root=UUID=0a1b2c3d-1111-2222-3333-444455556666 ro  quiet\n"
	"\t\tinitrd\t/boot/initrd.img-6.1.0-13-amd64\n"
	"\t}\n"
	"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery "
	"mode)' --class debian --class gnu-linux --class gnu --class os "
	"$menuentry_id_option 'gnulinux-6.1.0-13-amd64-recovery-"
	"0a1b2c3d-1111-2222-3333-444455556666' {\n"
	"\t\tset root='hd0,gpt2'\n"
	"\t\tsearch --no-floppy --fs-uuid --set=root "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"\t\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 "
	"root=UUID=0a1b2c3d-1111-2222-3333-444455556666 ro single \n"
	"\t\tinitrd\t/boot/initrd.img-6.1.0-13-amd64\n"
	"\t}\n"
	"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-12-amd64' --class "
	"debian --class gnu-linux --class gnu --class os $menuentry_id_option "
	"'gnulinux-6.1.0-12-amd64-advanced-"
	"0a1b2c3d-1111-2222-3333-444455556666' {\n"
	"\t\tset root='hd0,gpt2'\n"
	"\t\tsearch --no-floppy --fs-uuid --set=root "
	"0a1b2c3d-1111-2222-3333-444455556666\n"
	"\t\tlinux\t/boot/vmlinuz-6.1.0-12-amd64 "
	"root=UUID=0a1b2c3d-1111-2222-3333-444455556666 ro  quiet\n"
	"\t\tinitrd\t/boot/initrd.img-6.1.0-12-amd64\n"
	"\t}\n"
	"}\n"
	"\n"
	"### END /etc/grub.d/10_linux ###\n"
	"\n"
	"### BEGIN /etc/grub.d/30_uefi-firmware ###\n"
	"if [ \"$grub_platform\" = \"efi\" ]; then\n"
	"\tfwsetup --is-supported\n"
	"\tif [ \"$?\" = 0 ]; then\n"
	"\t\tmenuentry 'UEFI Firmware Settings' $menuentry_id_option "
	"'uefi-firmware' {\n"
	"\t\t\tfwsetup\n"
	"\t\t}\n"
	"\tfi\n"
	"fi\n"
	"### END /etc/grub.d/30_uefi-firmware ###\n"
	"\n"
	"### BEGIN /etc/grub.d/41_custom ###\n"
	"if [ -f  ${config_directory}/custom.cfg ]; then\n"
	"  source ${config_directory}/custom.cfg\n"
	"elif [ -z \"${config_directory}\" -a -f  $prefix/custom.cfg ]; then\n"
	"  source $prefix/custom.cfg\n"
	"fi\n"
	"### END /etc/grub.d/41_custom ###\n";

static const char debian_env[] =
	"# GRUB Environment Block\n"
	"saved_entry=gnulinux-advanced-0a1b2c3d-1111-2222-3333-444455556666>"
	"gnulinux-6.1.0-12-amd64-advanced-0a1b2c3d-1111-2222-3333-"
	"444455556666\n"
	"##################################################################";

static void test_debian_installed(void **state)
{
	const struct kj_memfile files[] = {
		F("/boot/grub/grub.cfg", debian_cfg),
		F("/boot/grub/grubenv", debian_env),
		F("/boot/grub/custom.cfg",
		  "menuentry 'Custom Xen' {\n"
		  "  multiboot2 /boot/xen.gz dom0_mem=1G\n"
		  "  module2 /boot/vmlinuz-6.1.0-13-amd64 root=/dev/sda2 ro\n"
		  "  module2 --nounzip /boot/initrd.img-6.1.0-13-amd64\n"
		  "}\n"),
	};
	const char *adv = "Advanced options for Debian GNU/Linux>";
	const char *uuid = "0a1b2c3d-1111-2222-3333-444455556666";
	const struct kj_entry *e;
	char buf[256];

	(void)state;
	/* The root carries the UUID its grub.cfg searches for. */
	uuid0 = uuid;
	assert_int_equal(scan2(files, N(files), NULL, 0, NULL), 6);
	uuid0 = "ABCD-1234";
	assert_string_equal(fx.info.config, "/boot/grub/grub.cfg");
	assert_true(fx.info.has_timeout);
	assert_int_equal(fx.info.timeout, 5);

	e = entry("Debian GNU/Linux");
	snprintf(buf, sizeof(buf), "gnulinux-simple-%s", uuid);
	assert_string_equal(e->id, buf);
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/boot/vmlinuz-6.1.0-13-amd64");
	/* Blanks between words collapse, as in GRUB. */
	snprintf(buf, sizeof(buf), "root=UUID=%s ro quiet", uuid);
	assert_string_equal(e->cmdline, buf);
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/boot/initrd.img-6.1.0-13-amd64");
	assert_string_equal(e->root_name, "disk0");

	snprintf(buf, sizeof(buf),
		 "%sDebian GNU/Linux, with Linux "
		 "6.1.0-13-amd64 (recovery mode)",
		 adv);
	e = entry(buf);
	snprintf(buf, sizeof(buf), "root=UUID=%s ro single", uuid);
	assert_string_equal(e->cmdline, buf);

	/* saved_entry names the 6.1.0-12 entry inside the submenu by ids. */
	e = the_default();
	snprintf(buf, sizeof(buf),
		 "%sDebian GNU/Linux, with Linux "
		 "6.1.0-12-amd64",
		 adv);
	assert_string_equal(e->title, buf);
	assert_string_equal(e->kernel, "/boot/vmlinuz-6.1.0-12-amd64");

	e = entry("UEFI Firmware Settings");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_null(e->kernel);
	assert_string_equal(e->unsupported, "uses fwsetup, which kexec "
					    "cannot do");

	e = entry("Custom Xen");
	assert_int_equal(e->type, KJ_ENTRY_MULTIBOOT2);
	assert_string_equal(e->kernel, "/boot/xen.gz");
	assert_string_equal(e->cmdline, "dom0_mem=1G");
	assert_int_equal(e->n_modules, 2);
	assert_string_equal(e->modules[0].path, "/boot/vmlinuz-6.1.0-13-amd64");
	assert_string_equal(e->modules[0].cmdline, "root=/dev/sda2 ro");
	assert_string_equal(e->modules[1].path,
			    "/boot/initrd.img-6.1.0-13-amd64");
	assert_string_equal(e->modules[1].cmdline, "");
	assert_string_equal(e->config, "/boot/grub/custom.cfg");
	assert_int_equal(e->config_line, 1);

	assert_int_equal(fx.warn.n, 0);
	done();

	/* When the UUID is not in the set, the search fails with a warning
	 * and $root stays 'hd0,gpt2', taken to be the scanned root. */
	assert_int_equal(scan2(files, N(files), NULL, 0, NULL), 6);
	assert_true(warned("search: no filesystem with UUID"));
	assert_string_equal(entry("Debian GNU/Linux")->root_name, "disk0");
	done();
}

static void test_default_forms(void **state)
{
	static const char menu[] = "menuentry First --id first { linux /1; }\n"
				   "submenu 'Sub' --id sub {\n"
				   "  menuentry 'A' --id a { linux /a; }\n"
				   "  menuentry 'B' { linux /b; }\n"
				   "}\n"
				   "menuentry Last { linux /3; }\n";
	static const struct {
		const char *def, *kernel;
	} cases[] = {
		{ "", "/1" },	   { "2", "/3" },     { "Last", "/3" },
		{ "first", "/1" }, { "Sub>B", "/b" }, { "sub>a", "/a" },
		{ "1>1", "/b" },   { "Sub", "/a" },   { "1", "/a" },
		{ "nope", "/1" },  { "sub>1", "/b" },
	};
	char text[1024];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		snprintf(text, sizeof(text), "set default=\"%s\"\n%s",
			 cases[i].def, menu);
		assert_int_equal(cfg(text), 4);
		if (strcmp(the_default()->kernel, cases[i].kernel))
			fail_msg("default=%s: got %s", cases[i].def,
				 the_default()->kernel);
		done();
	}
	assert_int_equal(cfg(menu), 4);
	assert_string_equal(the_default()->kernel, "/1");
	assert_string_equal(fx.out.v[2].title, "Sub>B");
	assert_string_equal(fx.out.v[2].id, "sub>B");
	assert_string_equal(fx.out.v[1].id, "sub>a");
	assert_false(fx.info.has_timeout);
	done();
}

static void test_search_two_roots(void **state)
{
	const struct kj_memfile esp[] = {
		F("/EFI/debian/grub.cfg",
		  "search --no-floppy --fs-uuid --set=root "
		  "--hint-bios=hd0,gpt2 "
		  "0A1B2C3D-1111-2222-3333-444455556666\n"
		  "menuentry A { linux /boot/vmlinuz root=UUID=x; "
		  "initrd /boot/initrd.img; }\n"
		  "search.fs_uuid ABCD-1234 esp\n"
		  "search.fs_uuid 0a1b2c3d-1111-2222-3333-444455556666 other\n"
		  "menuentry B { linux ($other)/boot/vmlinuz; "
		  "initrd ($esp)/initrd-on-esp; }\n"
		  "search --set bootdev --label DATA\n"
		  "search -l ESP -s\n"
		  "menuentry C { linux (hd0,gpt2)/vmlinuz-c; "
		  "linux ($bootdev)/boot/vmlinuz-c; }\n"
		  "search --set=ff --file /boot/vmlinuz\n"
		  "search --fs-uuid --set root NOPE\n"
		  "search.file /only-on-esp f2\n"
		  "menuentry \"$root $ff $f2\" { linux /k; }\n"),
		F("/only-on-esp", "x"),
	};
	const struct kj_memfile data[] = {
		F("/boot/vmlinuz", "kernel"),
	};
	const struct kj_entry *e;

	(void)state;
	assert_int_equal(scan2(esp, N(esp), data, N(data), NULL), 4);
	assert_string_equal(fx.info.config, "/EFI/debian/grub.cfg");
	e = entry("A");
	assert_string_equal(e->kernel, "/boot/vmlinuz");
	assert_string_equal(e->root_name, "disk1");
	assert_string_equal(e->initrd[0], "/boot/initrd.img");
	e = entry("B");
	assert_string_equal(e->root_name, "disk1");
	assert_string_equal(e->initrd[0], "/initrd-on-esp");
	assert_true(warned("/initrd-on-esp is on another filesystem"));
	e = entry("C");
	assert_string_equal(e->root_name, "disk1");
	assert_string_equal(e->kernel, "/boot/vmlinuz-c");
	assert_true(warned("entry already has a kernel"));
	/* search -s without a name: the single word is what is searched
	 * (GRUB's --set takes no separate argument there). */
	e = entry("kjroot0 kjroot1 kjroot0");
	assert_string_equal(e->root_name, "disk0");
	assert_true(warned("no filesystem with UUID NOPE"));
	done();
}

static void test_configfile(void **state)
{
	const struct kj_memfile esp[] = {
		F("/EFI/debian/grub.cfg",
		  "search.fs_uuid 0a1b2c3d-1111-2222-3333-444455556666 root "
		  "hd0,gpt2\n"
		  "set prefix=($root)'/boot/grub'\n"
		  "configfile $prefix/grub.cfg\n"),
	};
	const struct kj_memfile root[] = {
		F("/boot/grub/grub.cfg", debian_cfg),
		F("/boot/grub/grubenv", debian_env),
	};
	const struct kj_memfile loop[] = {
		F("/boot/grub/grub.cfg",
		  "menuentry top { linux /t; }\nsource /boot/grub/a.cfg\n"),
		F("/boot/grub/a.cfg",
		  "menuentry a { linux /a; }\nconfigfile /boot/grub/a.cfg\n"),
	};
	const struct kj_memfile missing[] = {
		F("/boot/grub/grub.cfg",
		  "source /nope.cfg\nconfigfile\n"
		  "menuentry 'Other menu' { configfile /x.cfg; }\n"),
	};

	(void)state;
	/* An ESP stub that hands over to the root filesystem's config. */
	assert_int_equal(scan2(esp, N(esp), root, N(root), NULL), 5);
	assert_string_equal(entry("Debian GNU/Linux")->root_name, "disk1");
	assert_string_equal(the_default()->kernel,
			    "/boot/vmlinuz-6.1.0-12-amd64");
	assert_string_equal(the_default()->root_name, "disk1");
	assert_int_equal(fx.warn.n, 0);
	done();

	/* Each configfile replaces the menu with a.cfg's own; the
	 * innermost one, whose configfile is refused, is what is left. */
	assert_int_equal(scan(loop, N(loop)), 1);
	assert_true(warned("nested deeper than 8"));
	assert_string_equal(fx.out.v[0].title, "a");
	done();

	assert_int_equal(scan(missing, N(missing)), 1);
	assert_true(warned("grub.cfg:1: /nope.cfg: no such file"));
	assert_true(warned("grub.cfg:2: configfile: no file given"));
	assert_int_equal(fx.out.v[0].type, KJ_ENTRY_UNSUPPORTED);
	assert_string_equal(fx.out.v[0].unsupported,
			    "opens a GRUB menu that is not there");
	done();
}

static void test_configfile_entry(void **state)
{
	const struct kj_memfile d0[] = {
		F("/boot/grub/grub.cfg",
		  "menuentry 'Fedora on disk1' --id other {\n"
		  "  search --fs-uuid --set=root "
		  "0a1b2c3d-1111-2222-3333-444455556666\n"
		  "  configfile /boot/grub2/grub.cfg\n"
		  "}\n"
		  "menuentry 'Reload' { configfile $prefix/grub.cfg; }\n"
		  "set default='other>fed'\n"),
	};
	const struct kj_memfile d1[] = {
		F("/boot/grub2/grub.cfg",
		  "set default=1\n"
		  "menuentry 'Fedora' --id fed { linux /boot/vmlinuz-f; }\n"
		  "menuentry 'Back' { configfile (hd0,1)/boot/grub/grub.cfg; "
		  "}\n"),
	};
	const struct kj_entry *e;

	(void)state;
	/* An entry that opens another menu becomes a submenu of it. */
	assert_int_equal(scan2(d0, N(d0), d1, N(d1), NULL), 3);
	e = entry("Fedora on disk1>Fedora");
	assert_string_equal(e->id, "other>fed");
	assert_string_equal(e->kernel, "/boot/vmlinuz-f");
	assert_string_equal(e->root_name, "disk1");
	assert_string_equal(e->config, "/boot/grub2/grub.cfg");
	assert_true(e->is_default);
	assert_string_equal(entry("Fedora on disk1>Back")->unsupported,
			    "opens a GRUB menu listed elsewhere");
	assert_string_equal(entry("Reload")->unsupported,
			    "opens a GRUB menu listed elsewhere");
	assert_int_equal(fx.warn.n, 0);
	done();
}

static void test_load_env(void **state)
{
	static const char env[] = "# GRUB Environment Block\n"
				  "saved_entry=second\n"
				  "kernelopts=root=/dev/vda1 ro\n"
				  "other=1\n"
				  "#######";
	const struct kj_memfile files[] = {
		F("/boot/grub/grub.cfg",
		  "load_env -f ($root)/boot/grub/my.env kernelopts\n"
		  "menuentry \"[$saved_entry][$other]\" { linux /a "
		  "$kernelopts; }\n"
		  "load_env --file=/boot/grub/my.env\n"
		  "set default=\"${saved_entry}\"\n"
		  "menuentry Second --id second { linux /b; }\n"
		  "load_env\n"),
		F("/boot/grub/my.env", env),
	};

	(void)state;
	assert_int_equal(scan(files, N(files)), 2);
	assert_string_equal(fx.out.v[0].title, "[][]");
	assert_string_equal(fx.out.v[0].cmdline, "root=/dev/vda1 ro");
	assert_string_equal(the_default()->kernel, "/b");
	assert_true(warned("load_env: /boot/grub/grubenv not found"));
	done();
}

static void test_blscfg(void **state)
{
	static const char grubcfg[] =
		"set pager=1\n"
		"if [ -f ${config_directory}/grubenv ]; then\n"
		"  load_env -f ${config_directory}/grubenv\n"
		"elif [ -s $prefix/grubenv ]; then\n"
		"  load_env\n"
		"fi\n"
		"if [ \"${next_entry}\" ] ; then\n"
		"   set default=\"${next_entry}\"\n"
		"else\n"
		"   set default=\"${saved_entry}\"\n"
		"fi\n"
		"set timeout=-1\n"
		"insmod part_gpt\n"
		"insmod ext2\n"
		"search --no-floppy --fs-uuid --set=root "
		"0a1b2c3d-1111-2222-3333-444455556666\n"
		"insmod blscfg\n"
		"blscfg\n"
		"menuentry 'After BLS' { linux /after; }\n";
	static const char env[] =
		"# GRUB Environment Block\n"
		"saved_entry=f39-6.5.6-300.fc39.x86_64\n"
		"kernelopts=root=UUID=0a1b2c3d ro rootflags=subvol=root rhgb "
		"quiet\n"
		"boot_success=1\n"
		"#####################################";
	const struct kj_memfile esp[] = {
		F("/EFI/fedora/grub.cfg", grubcfg),
		F("/EFI/fedora/grubenv", env),
	};
	const struct kj_memfile boot[] = {
		F("/loader/entries/f39-6.5.6-300.fc39.x86_64.conf",
		  "title Fedora Linux (6.5.6-300.fc39.x86_64) 39\n"
		  "version 6.5.6-300.fc39.x86_64\n"
		  "linux /vmlinuz-6.5.6-300.fc39.x86_64\n"
		  "initrd /initramfs-6.5.6-300.fc39.x86_64.img\n"
		  "initrd /microcode.img\n"
		  "options $kernelopts\n"
		  "options console=ttyS0\n"
		  "grub_users $grub_users\n"
		  "grub_arg --unrestricted\n"
		  "grub_class fedora\n"),
		F("/loader/entries/f39-6.6.2-201.fc39.x86_64.conf",
		  "title Fedora Linux (6.6.2-201.fc39.x86_64) 39\n"
		  "version 6.6.2-201.fc39.x86_64\n"
		  "linux /vmlinuz-6.6.2-201.fc39.x86_64\n"
		  "initrd /initramfs-6.6.2-201.fc39.x86_64.img\n"
		  "options $kernelopts\n"),
	};
	const struct kj_entry *e;

	(void)state;
	assert_int_equal(scan2(esp, N(esp), boot, N(boot), NULL), 3);
	assert_string_equal(fx.out.v[0].id, "f39-6.6.2-201.fc39.x86_64");
	assert_string_equal(fx.out.v[2].title, "After BLS");
	e = the_default();
	assert_string_equal(e->id, "f39-6.5.6-300.fc39.x86_64");
	assert_int_equal(e->source, KJ_SOURCE_BLS);
	assert_string_equal(e->root_name, "disk1");
	assert_string_equal(e->kernel, "/vmlinuz-6.5.6-300.fc39.x86_64");
	assert_int_equal(e->n_initrd, 2);
	assert_string_equal(e->initrd[1], "/microcode.img");
	assert_string_equal(e->cmdline, "root=UUID=0a1b2c3d ro "
					"rootflags=subvol=root rhgb quiet "
					"console=ttyS0");
	assert_true(fx.info.has_timeout);
	assert_int_equal(fx.info.timeout, -1);
	assert_int_equal(fx.warn.n, 0);
	done();
}

static void test_ignored_and_limits(void **state)
{
	(void)state;
	assert_int_equal(
		cfg("insmod gzio\necho hello\nterminal_output gfxterm\n"
		    "loadfont unicode\nset gfxmode=auto\nplay 480 440 1\n"
		    "background_image /x.png\nsave_env a\n"
		    "for i in 1 2 3; do menuentry \"loop $i\" "
		    "{ linux /l; }; done\n"
		    "while true; do echo; done\n"
		    "menuentry 'Windows' { insmod ntfs; "
		    "chainloader +1; }\n"
		    "menuentry 'Nothing' { echo; }\n"
		    "menuentry { linux /x; }\n"
		    "linux /outside\n"
		    "menuentry nobody\n"
		    "menuentry a { menuentry b { linux /b; }; "
		    "linux /a; }\n"
		    "{ stray block }\n"),
		6);
	assert_string_equal(entry("Windows")->unsupported,
			    "uses chainloader, which kexec cannot do");
	assert_string_equal(entry("Nothing")->unsupported,
			    "no linux or multiboot command");
	assert_string_equal(entry("a")->kernel, "/a");
	assert_string_equal(entry("loop 3")->kernel, "/l");
	assert_true(warned("grub.cfg:10: loop ran 1024 times, stopped"));
	assert_true(warned("menuentry without a title"));
	assert_true(warned("linux outside a menuentry"));
	assert_true(warned("menuentry without a { } body"));
	assert_true(warned("menuentry inside a menuentry"));
	assert_true(warned("{ without a command"));
	assert_int_equal(fx.warn.n, 6);
	done();

	/* No config at all. */
	assert_int_equal(scan(NULL, 0), -ENOENT);
	done();
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(kj_grub_scan(&fx.set, 3, &fx.out, &fx.warn), -EINVAL);

	/* More entries than the list holds. */
	{
		size_t len = 0, cap = 64 * (KJ_MAX_ENTRIES + 10);
		char *big = malloc(cap);

		assert_non_null(big);
		for (int i = 0; i < KJ_MAX_ENTRIES + 10; i++)
			len += (size_t)snprintf(big + len, cap - len,
						"menuentry e%d { linux /k; }\n",
						i);
		assert_int_equal(cfg(big), KJ_MAX_ENTRIES);
		assert_true(warned("more than 512 entries"));
		assert_true(fx.out.v[0].is_default);
		done();
		free(big);
	}
	/* Skipped blocks re-parsed by many calls, and huge expansions. */
	{
		size_t cap = 2 * 1024 * 1024, len = 0;
		char *big = malloc(cap);

		assert_non_null(big);
		len += (size_t)sprintf(big, "function f {\nif false; then\n");
		for (int i = 0; i < 5000; i++)
			len += (size_t)sprintf(big + len, "echo x\n");
		len += (size_t)sprintf(big + len, "fi\n}\n");
		for (int i = 0; i < 2000; i++)
			len += (size_t)sprintf(big + len, "f\n");
		len += (size_t)sprintf(big + len, "set x=");
		for (int i = 0; i < 16000; i++)
			big[len++] = 'x';
		len += (size_t)sprintf(big + len, "\nmenuentry m { linux /k");
		for (int i = 0; i < 20; i++)
			len += (size_t)sprintf(big + len, " $x");
		sprintf(big + len, "; }\n");
		assert_int_equal(cfg(big), 0);
		assert_true(warned("config too costly to evaluate, stopped"));
		done();
		/* Without the calls the entry is read, its command cut. */
		for (char *p = strstr(big, "\nf\n"); p;
		     p = strstr(p + 1, "\nf\n"))
			p[1] = '#';
		assert_int_equal(cfg(big), 1);
		assert_true(warned("command longer than 4096 words or "
				   "262144 bytes"));
		assert_true(strlen(fx.out.v[0].cmdline) < 256 * 1024);
		done();
		free(big);
	}
	/* Many entries copying a store of long values. */
	{
		size_t cap = 8 * 1024 * 1024, len = 0;
		char *big = malloc(cap);

		assert_non_null(big);
		for (int i = 0; i < 60; i++) { /* within 1 MiB */
			len += (size_t)sprintf(big + len, "set v%d=", i);
			memset(big + len, 'v', 16000);
			len += 16000;
			big[len++] = '\n';
		}
		for (int i = 0; i < 2000; i++)
			len += (size_t)sprintf(big + len,
					       "menuentry e { linux /k; }\n");
		big[len] = '\0';
		cfg(big);
		assert_true(fx.out.n < 2000);
		assert_true(warned("config too costly to evaluate, stopped"));
		done();
		free(big);
	}
	/* Deep nesting stops cleanly. */
	{
		char *deep = malloc(20 * 1000 + 64);
		size_t len = 0;

		assert_non_null(deep);
		for (int i = 0; i < 1000; i++)
			len += (size_t)sprintf(deep + len, "if true; then ");
		strcpy(deep + len, "menuentry x { linux /x; }\n");
		assert_int_equal(cfg(deep), 0);
		assert_true(warned("nested deeper than 64"));
		done();
		free(deep);
	}
}

/* Issue 15, case 1: Red Hat's \xHH stays for dracut; other escapes as in
 * GRUB's lexer, and the command line re-escaped as GRUB's builder does. */
static void test_hex_escapes(void **state)
{
	(void)state;
	assert_int_equal(
		cfg("menuentry 'Install CentOS 7' --class fedora {\n"
		    "  linuxefi /images/pxeboot/vmlinuz "
		    "inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64 quiet\n"
		    "  initrdefi /images/pxeboot/initrd.img\n"
		    "}\n"
		    "menuentry esc {\n"
		    "  linux /v a\\\\b c\\\"d \\$x \"q\\\\r\" \"s\\\"t\" "
		    "\"\\$u\" \"in\\x20dq\" 'sq\\x41' plain\\q \"sp ace\" "
		    "\"it's\" \\x4 \\xZZ\n"
		    "}\n"),
		2);
	assert_string_equal(
		entry("Install CentOS 7")->cmdline,
		"inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64 quiet");
	assert_string_equal(entry("esc")->cmdline,
			    "a\\\\b c\\\"d $x q\\\\r s\\\"t $u in\\x20dq "
			    "sq\\x41 plainq \"sp ace\" it\\'s x4 xZZ");
	assert_int_equal(fx.warn.n, 0);
	done();
}

/* Case 2: '{' and '}' are tokens of their own when attached to words. */
static void test_attached_braces(void **state)
{
	(void)state;
	assert_int_equal(cfg("menuentry 'boot'{\n"
			     "  linux /vmlinuz\n"
			     "}\n"
			     "menuentry b {linux /v}\n"
			     "set x=1\n"
			     "menuentry \"c${x}\" --id c{ linux /c-${x};}\n"),
			 3);
	assert_string_equal(entry("boot")->kernel, "/vmlinuz");
	assert_string_equal(entry("b")->kernel, "/v");
	assert_string_equal(entry("c1")->kernel, "/c-1");
	assert_string_equal(entry("c1")->id, "c");
	assert_int_equal(fx.warn.n, 0);
	done();
}

/* Case 3: -f -d -s -e test what they say. */
static void test_file_tests(void **state)
{
	static const char tests[] =
		"if [ -f /boot ]; then a=bad; else a=ok; fi\n"
		"if [ -d /boot/vmlinuz ]; then b=bad; else b=ok; fi\n"
		"if [ -s /boot/empty ]; then c=bad; else c=ok; fi\n"
		"if [ -e /boot/empty ]; then d=ok; fi\n"
		"if [ -f \"\" ]; then e=bad; else e=ok; fi\n"
		"if [ -d \"\" ]; then g=ok; fi\n"
		"if [ -s /boot/vmlinuz -a -f /boot/vmlinuz -a -d /boot -a "
		"-e /boot ]; then h=ok; fi\n"
		"if [ -e /none ]; then i=bad; else i=ok; fi\n"
		"if [ -e /boot/fifo ]; then j=ok; else j=nofifo; fi\n"
		"if [ -f /boot/fifo -o -s /boot/fifo ]; then k=bad; else k=ok; "
		"fi\n"
		"if [ -e /boot/out -o -e /boot/up ]; then l=bad; else l=ok; "
		"fi\n"
		"menuentry \"$a$b$c$d$e$g$h$i$j$k$l\" { linux /boot/vmlinuz; "
		"}\n";
	const struct kj_memfile files[] = {
		F("/boot/grub/grub.cfg", tests),
		F("/boot/vmlinuz", "kernel"),
		F("/boot/empty", ""),
	};
	char *dir = kj_test_tmpdir(), path[4200];

	(void)state;
	assert_int_equal(scan(files, N(files)), 1);
	assert_string_equal(fx.out.v[0].title, "okokokokokokokoknofifookok");
	done();

	/* The same on a real directory, with a FIFO and symlinks that point
	 * out of the root (they resolve inside it, to nothing). */
	kj_test_write(dir, "boot/grub/grub.cfg", tests);
	kj_test_write(dir, "boot/vmlinuz", "kernel");
	kj_test_write(dir, "boot/empty", "");
	snprintf(path, sizeof(path), "%s/boot/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/boot/out", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	snprintf(path, sizeof(path), "%s/boot/up", dir);
	assert_int_equal(symlink("../../../../../../etc/hostname", path), 0);
	alarm(20); /* nothing may block on the FIFO */
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(kj_root_open_dir(&fx.roots[0], dir, "dir", NULL), 0);
	fx.set.v = fx.roots;
	fx.set.n = 1;
	assert_int_equal(kj_grub_scan_config(&fx.set, 0, NULL, &fx.out,
					     &fx.info, &fx.warn),
			 1);
	dump();
	alarm(0);
	assert_string_equal(fx.out.v[0].title, "okokokokokokokokokokok");
	kj_root_close(&fx.roots[0]);
	done();
	kj_test_rmtree(dir);
	free(dir);
}

/* Case 4: for loops (nested, with menuentry inside), while, until,
 * break and continue; the round cap warns. */
static void test_loops(void **state)
{
	char *big;
	size_t len;

	(void)state;
	assert_int_equal(cfg("for k in 1 2; do menuentry \"K$k\" $k "
			     "{ linux /vmlinuz-$2 }; done\n"),
			 2);
	assert_string_equal(entry("K1")->kernel, "/vmlinuz-1");
	assert_string_equal(entry("K2")->kernel, "/vmlinuz-2");
	assert_int_equal(fx.warn.n, 0);
	done();

	assert_int_equal(
		cfg("set kernels=\"6.1 6.2\"\n"
		    "for v in $kernels; do\n"
		    "  for m in normal recovery; do\n"
		    "    if [ $m = recovery ]; then opt=single; "
		    "else opt=quiet; fi\n"
		    "    menuentry \"L $v $m\" { linux /boot/vmlinuz-$v $opt; "
		    "}\n"
		    "  done\n"
		    "done\n"
		    "for i in a b c d e; do\n"
		    "  if [ $i = b ]; then continue; fi\n"
		    "  if [ $i = d ]; then break; fi\n"
		    "  menuentry \"i$i\" { linux /$1; }\n"
		    "done\n"
		    "for o in 1 2; do for i in x y; do\n"
		    "  if [ $i = y ]; then continue 2; fi\n"
		    "  menuentry \"o$o$i\" { linux /o; }\n"
		    "done; done\n"
		    "set n=x\n"
		    "while [ $n != xxx ]; do menuentry \"w$n\" { linux /w; }; "
		    "set n=${n}x; done\n"
		    "until [ $n = xxxxx ]; do set n=${n}x; done\n"
		    "menuentry \"last $n $k $v\" { linux /l; }\n"),
		11);
	assert_string_equal(entry("L 6.1 normal")->cmdline, "quiet");
	assert_string_equal(entry("L 6.2 recovery")->kernel,
			    "/boot/vmlinuz-6.2");
	assert_string_equal(entry("L 6.2 recovery")->cmdline, "single");
	assert_string_equal(entry("ic")->kernel, "/ic");
	assert_null(find_title("ib"));
	assert_null(find_title("id"));
	assert_non_null(find_title("o1x"));
	assert_non_null(find_title("o2x"));
	assert_non_null(find_title("wxx"));
	assert_null(find_title("wxxx"));
	/* The loop variable is a global that keeps its last value. */
	assert_non_null(find_title("last xxxxx  6.2"));
	assert_int_equal(fx.warn.n, 0);
	done();

	/* Runaway loops stop with a warning, the rest of the config runs. */
	assert_int_equal(cfg("while true; do true; done\n"
			     "until false; do echo; done\n"
			     "menuentry after { linux /a; }\n"),
			 1);
	assert_true(warned("grub.cfg:1: loop ran 1024 times, stopped"));
	assert_true(warned("grub.cfg:2: loop ran 1024 times, stopped"));
	done();
	big = malloc(8 * 2000 + 200);
	assert_non_null(big);
	len = (size_t)sprintf(big, "for i in");
	for (int i = 0; i < 2000; i++)
		len += (size_t)sprintf(big + len, " %d", i);
	sprintf(big + len, "; do menuentry \"m$i\" { linux /m; }; done\n");
	assert_int_equal(cfg(big), KJ_MAX_ENTRIES);
	assert_true(warned("more than 512 entries"));
	done();
	free(big);
	assert_int_equal(cfg("for i in 1 2 3\nmenuentry x { linux /x; }\n"), 0);
	assert_true(warned("grub.cfg:1: for without do"));
	done();
}

/* Case 5: configfile opens a new menu with only that file's entries and
 * its own default; source merges. */
static void test_configfile_new_menu(void **state)
{
	const struct kj_memfile files[] = {
		F("/boot/grub/grub.cfg",
		  "set default=1\n"
		  "set timeout=3\n"
		  "set secret=s\n"
		  "export kept\n"
		  "set kept=k\n"
		  "menuentry Outer1 { linux /o1; }\n"
		  "source /boot/grub/src.cfg\n"
		  "configfile /boot/grub/missing.cfg\n"
		  "configfile /boot/grub/empty.cfg\n"
		  "menuentry \"Outer2 $lost\" { linux /o2; }\n"
		  "configfile /boot/grub/new.cfg\n"
		  "menuentry Never { linux /never; }\n"),
		F("/boot/grub/src.cfg", "menuentry Src { linux /s; }\n"),
		F("/boot/grub/empty.cfg", "set lost=1\n"),
		F("/boot/grub/new.cfg",
		  "set default=inner2\n"
		  "menuentry \"Inner1 [$secret$kept] $config_directory\" "
		  "{ linux /i1; }\n"
		  "menuentry Inner2 --id inner2 { linux /i2; }\n"),
	};
	const struct kj_memfile merged[] = {
		F("/boot/grub/grub.cfg",
		  "set default=1\nmenuentry Outer1 { linux /o1; }\n"
		  "source /boot/grub/src.cfg\n"),
		F("/boot/grub/src.cfg", "menuentry Src { linux /s; }\n"),
	};

	(void)state;
	assert_int_equal(scan(files, N(files)), 2);
	assert_string_equal(fx.out.v[0].title,
			    "Inner1 [k] (kjroot0)/boot/grub");
	assert_string_equal(fx.out.v[1].title, "Inner2");
	assert_string_equal(the_default()->kernel, "/i2");
	/* timeout is not exported: the new menu has none. */
	assert_false(fx.info.has_timeout);
	assert_true(warned("grub.cfg:8: /boot/grub/missing.cfg: no such file"));
	assert_int_equal(fx.warn.n, 1);
	done();

	assert_int_equal(scan(merged, N(merged)), 2);
	assert_string_equal(the_default()->title, "Src");
	done();
}

/* Case 6: grub.cfg at a partition's root and in /EFI/BOOT in any case. */
static void test_config_locations(void **state)
{
	const struct kj_memfile top[] = {
		F("/grub.cfg", "menuentry top { linux /t; }\n"),
	};
	const struct kj_memfile efi[] = {
		F("/grub.cfg", "menuentry top { linux /t; }\n"),
		F("/efi/boot/grub.cfg", "menuentry efi { linux /e; }\n"),
	};
	const struct kj_memfile both[] = {
		F("/grub.cfg", "menuentry top { linux /t; }\n"),
		F("/boot/grub/grub.cfg", "menuentry boot { linux /b; }\n"),
	};
	char *dir = kj_test_tmpdir();

	(void)state;
	assert_int_equal(scan(top, N(top)), 1);
	assert_string_equal(fx.info.config, "/grub.cfg");
	done();
	assert_int_equal(scan(efi, N(efi)), 1);
	assert_string_equal(fx.info.config, "/efi/boot/grub.cfg");
	done();
	assert_int_equal(scan(both, N(both)), 1);
	assert_string_equal(fx.info.config, "/boot/grub/grub.cfg");
	done();

	/* A real directory: the case of each component is looked up. */
	kj_test_write(dir, "Efi/Boot/GRUB.CFG",
		      "menuentry fat { linux /f; }\n");
	kj_test_write(dir, "grub.cfg", "menuentry top { linux /t; }\n");
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(kj_root_open_dir(&fx.roots[0], dir, "dir", NULL), 0);
	fx.set.v = fx.roots;
	fx.set.n = 1;
	assert_int_equal(kj_grub_scan_config(&fx.set, 0, NULL, &fx.out,
					     &fx.info, &fx.warn),
			 1);
	assert_string_equal(fx.info.config, "/Efi/Boot/GRUB.CFG");
	assert_string_equal(fx.out.v[0].title, "fat");
	kj_root_close(&fx.roots[0]);
	done();
	kj_test_rmtree(dir);
	free(dir);
}

/* Case 7: an entry kjump cannot boot carries its root like the others. */
static void test_unbootable_root(void **state)
{
	const struct kj_memfile d0[] = {
		F("/boot/grub/grub.cfg",
		  "menuentry 'UEFI Firmware Settings' { fwsetup; }\n"
		  "menuentry 'Reboot' { reboot; }\n"
		  "menuentry 'Exit' { exit; }\n"
		  "menuentry 'Windows' {\n"
		  "  search --fs-uuid --set=root "
		  "0a1b2c3d-1111-2222-3333-444455556666\n"
		  "  chainloader /EFI/Microsoft/Boot/bootmgfw.efi\n"
		  "}\n"),
	};
	const struct kj_memfile d1[] = { F("/x", "") };

	(void)state;
	assert_int_equal(scan2(d0, N(d0), d1, N(d1), NULL), 4);
	for (size_t i = 0; i < fx.out.n; i++) {
		assert_int_equal(fx.out.v[i].type, KJ_ENTRY_UNSUPPORTED);
		assert_non_null(fx.out.v[i].root_name);
	}
	assert_string_equal(entry("UEFI Firmware Settings")->root_name,
			    "disk0");
	assert_string_equal(entry("Reboot")->root_name, "disk0");
	assert_string_equal(entry("Exit")->root_name, "disk0");
	assert_string_equal(entry("Windows")->root_name, "disk1");
	done();
}

/* Case 13: a word longer than 65535 bytes is cut with a warning. */
static void test_long_word(void **state)
{
	size_t n = 70000, len;
	char *big = malloc(n + 200);

	(void)state;
	assert_non_null(big);
	len = (size_t)sprintf(big, "menuentry m {\n linux /k ");
	memset(big + len, 'w', n);
	len += n;
	sprintf(big + len, "\n}\n");
	assert_int_equal(cfg(big), 1);
	assert_int_equal(strlen(fx.out.v[0].cmdline), 65535);
	assert_true(warned("grub.cfg:2: word longer than 65535 bytes, cut"));
	assert_int_equal(fx.warn.n, 1);
	done();
	free(big);
}

/* Debian's netboot installer menu: KJ_NETBOOT_DIR is the extracted
 * debian-installer-12-netboot-amd64 package (or its text/ directory). */
static void test_netboot_real(void **state)
{
	const char *dir = getenv("KJ_NETBOOT_DIR");
	static const char sub[] = "/usr/lib/debian-installer/images/12/amd64/"
				  "text";
	const struct kj_entry *e;
	char path[4096];

	(void)state;
	if (!dir || !*dir)
		skip();
	snprintf(path, sizeof(path), "%s%s", dir, sub);
	if (access(path, F_OK) != 0)
		snprintf(path, sizeof(path), "%s", dir);
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(kj_root_open_dir(&fx.roots[0], path, "netboot", NULL),
			 0);
	fx.set.v = fx.roots;
	fx.set.n = 1;
	fx.r = kj_grub_scan_config(&fx.set, 0,
				   "/debian-installer/amd64/grub/grub.cfg",
				   &fx.out, &fx.info, &fx.warn);
	dump();
	assert_int_equal(fx.r, 26);
	assert_int_equal(fx.warn.n, 0);

	e = &fx.out.v[0];
	assert_string_equal(e->title, "Install");
	assert_true(e->is_default);
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/debian-installer/amd64/linux");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/debian-installer/amd64/initrd.gz");
	assert_string_equal(e->cmdline, "vga=788 --- quiet");
	assert_string_equal(e->root_name, "netboot");
	assert_string_equal(e->config, "/debian-installer/amd64/grub/grub.cfg");
	/* The files it names are really there. */
	assert_true(kj_root_exists(&fx.roots[0], e->kernel));
	assert_true(kj_root_exists(&fx.roots[0], e->initrd[0]));

	e = entry("Advanced options ...>... Desktop environment menu ...>"
		  "... GNOME desktop boot menu ...>... GNOME advanced options "
		  "...>... Automated install");
	assert_string_equal(e->cmdline, "desktop=gnome auto=true "
					"priority=critical vga=788 --- quiet");
	e = entry("Accessible dark contrast installer menu ...>... Advanced "
		  "options ...>... Rescue mode");
	assert_string_equal(e->cmdline,
			    "vga=788 rescue/enable=true theme=dark --- quiet");
	assert_false(fx.info.has_timeout);
	kj_root_close(&fx.roots[0]);
	done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_if_test),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_loader_commands),
		cmocka_unit_test(test_debian_installed),
		cmocka_unit_test(test_default_forms),
		cmocka_unit_test(test_search_two_roots),
		cmocka_unit_test(test_configfile),
		cmocka_unit_test(test_configfile_entry),
		cmocka_unit_test(test_load_env),
		cmocka_unit_test(test_blscfg),
		cmocka_unit_test(test_ignored_and_limits),
		cmocka_unit_test(test_netboot_real),
		cmocka_unit_test(test_hex_escapes),
		cmocka_unit_test(test_attached_braces),
		cmocka_unit_test(test_file_tests),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_configfile_new_menu),
		cmocka_unit_test(test_config_locations),
		cmocka_unit_test(test_unbootable_root),
		cmocka_unit_test(test_long_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for the SYSLINUX-family config parser (src/boot/syslinux.c). */
#include "testlib.h"
#include "entries_testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/syslinux.h"

#define F(p, s) { p, s, sizeof(s) - 1 }
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct result {
	struct kj_entry_list list;
	struct kj_warnings warn;
	struct kj_syslinux_info info;
};

/* KJ_TEST_VERBOSE=1 prints what a scan found, to write new tests. */
static void scan_mem(struct result *res, const struct kj_memfile *files,
		     size_t n)
{
	struct kj_root root = { .name = "mem", .dirfd = -1, .mem = files,
				.n_mem = n };

	memset(res, 0, sizeof(*res));
	assert_int_equal(kj_syslinux_scan_info(&root, &res->list, &res->warn,
					       &res->info),
			 0);
	dump(res);
}

static size_t n_defaults(const struct result *res)
{
	size_t n = 0;

	for (size_t i = 0; i < res->list.n; i++)
		n += res->list.v[i].is_default;
	return n;
}

static void test_basic(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/syslinux/syslinux.cfg",
		  "# a comment\n"
		  "DEFAULT linux\n"
		  "TIMEOUT 50\n"
		  "PROMPT 1\n"
		  "TOTALTIMEOUT 900\n"
		  "APPEND console=ttyS0\n"
		  "\n"
		  "LABEL linux\n"
		  "  MENU LABEL ^Linux 6.1\n"
		  "  KERNEL vmlinuz-6.1\n"
		  "  APPEND root=/dev/sda1 ro initrd=initrd.img-6.1 quiet\n"
		  "LABEL rescue\n"
		  "  LINUX /boot/vmlinuz-old single\n"
		  "  INITRD ../a.img,/b.img\n"
		  "LABEL bare\n"
		  "  KERNEL vmlinuz-6.1\n"
		  "  MENU LABEL\n"
		  "  APPEND -\n"
		  "LABEL noconf\n"
		  "  CONFIG\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 3);
	assert_int_equal(res.warn.n, 1);
	assert_true(has_warning(&res, "syslinux.cfg:19: CONFIG without"));
	assert_string_equal(res.info.config, "/boot/syslinux/syslinux.cfg");
	assert_int_equal(res.info.timeout, 50);
	assert_int_equal(res.info.totaltimeout, 900);
	assert_true(res.info.prompt);
	assert_false(res.info.menu);

	e = get(&res, "linux");
	assert_string_equal(e->title, "Linux 6.1");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/boot/syslinux/vmlinuz-6.1");
	assert_string_equal(e->cmdline, "root=/dev/sda1 ro quiet");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/boot/syslinux/initrd.img-6.1");
	assert_true(e->is_default);
	assert_int_equal(e->source, KJ_SOURCE_SYSLINUX);
	assert_string_equal(e->root_name, "mem");
	assert_string_equal(e->config, "/boot/syslinux/syslinux.cfg");
	assert_int_equal(e->config_line, 8);
	assert_null(e->devicetree);

	/* global APPEND, words after the image, INITRD comma list */
	e = get(&res, "rescue");
	assert_string_equal(e->title, "rescue");
	assert_string_equal(e->kernel, "/boot/vmlinuz-old");
	assert_string_equal(e->cmdline, "single console=ttyS0");
	assert_int_equal(e->n_initrd, 2);
	assert_string_equal(e->initrd[0], "/boot/a.img");
	assert_string_equal(e->initrd[1], "/b.img");
	assert_false(e->is_default);

	/* APPEND - drops the global APPEND; an empty MENU LABEL is no title */
	e = get(&res, "bare");
	assert_string_equal(e->title, "bare");
	assert_string_equal(e->cmdline, "");
	assert_int_equal(e->n_initrd, 0);
	result_free(&res);
}

static void test_case_and_crlf(void **state)
{
	static const struct kj_memfile files[] = {
		F("/syslinux.cfg",
		  "dEfAuLt Two\r\n"
		  "TimeOut 7\r\n"
		  "label One\r\n"
		  "\tkernel /k1\r\n"
		  "label Two\r\n"
		  "\tmenu LABEL T^wo\r\n"
		  "\tKeRnEl /k2\r\n"
		  "\tiNiTrD /i2\r\n"
		  "\tApPeNd a=1  b=2 \r\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 2);
	assert_int_equal(res.info.timeout, 7);
	/* label names are case-sensitive, keywords are not */
	e = get(&res, "Two");
	assert_true(e->is_default);
	assert_string_equal(e->title, "Two");
	assert_string_equal(e->kernel, "/k2");
	assert_string_equal(e->cmdline, "a=1 b=2");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/i2");
	assert_false(get(&res, "One")->is_default);
	result_free(&res);
}

static void test_initrd_first_wins(void **state)
{
	static const struct kj_memfile files[] = {
		F("/syslinux.cfg",
		  "label a\n"
		  " kernel /k\n"
		  " append x initrd=/one,/two y\n"
		  " initrd /three\n"
		  "label b\n"
		  " kernel /k\n"
		  " append initrd=,/p,, z\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	e = get(&res, "a");
	assert_int_equal(e->n_initrd, 2);
	assert_string_equal(e->initrd[0], "/one");
	assert_string_equal(e->initrd[1], "/two");
	assert_string_equal(e->cmdline, "x y");
	assert_true(has_warning(&res, "/syslinux.cfg:1: second initrd="));
	e = get(&res, "b");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/p");
	assert_string_equal(e->cmdline, "z");
	result_free(&res);
}

static void test_menu_default_and_hide(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/syslinux/syslinux.cfg",
		  "UI menu.c32\n"
		  "DEFAULT a\n"
		  "LABEL a\n kernel /a\n"
		  "LABEL b\n kernel /b\n MENU DEFAULT\n"
		  "LABEL hidden\n kernel /h\n MENU HIDE\n"),
		F("/isolinux/isolinux.cfg",
		  "DEFAULT secret\n"
		  "LABEL secret\n kernel /s\n menu hide\n"
		  "LABEL other\n kernel /o\n menu default\n menu hide\n"),
	};
	struct result res;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_true(res.info.menu);
	/* MENU DEFAULT beats DEFAULT; hidden labels are not listed... */
	assert_true(get(&res, "b")->is_default);
	assert_false(get(&res, "a")->is_default);
	assert_null(find(&res, "hidden"));
	/* ...unless DEFAULT names it; only the first family has a default */
	assert_non_null(find(&res, "secret"));
	assert_false(get(&res, "secret")->is_default);
	assert_null(find(&res, "other"));
	assert_int_equal(n_defaults(&res), 1);
	assert_int_equal(res.list.n, 3);
	result_free(&res);
}

static void test_hidden_default(void **state)
{
	static const struct kj_memfile files[] = {
		F("/isolinux/isolinux.cfg",
		  "DEFAULT secret\n"
		  "LABEL secret\n kernel /s\n menu hide\n"),
	};
	struct result res;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 1);
	assert_true(get(&res, "secret")->is_default);
	result_free(&res);
}

static void test_text_help_and_submenus(void **state)
{
	static const struct kj_memfile files[] = {
		F("/syslinux/syslinux.cfg",
		  "UI vesamenu.c32\n"
		  "MENU TITLE Boot\n"
		  "LABEL first\n"
		  "  KERNEL /first\n"
		  "  TEXT HELP\n"
		  "  LABEL fake\n"
		  "  KERNEL /fake\n"
		  "  ENDTEXT\n"
		  "  APPEND after=help\n"
		  "MENU BEGIN sub\n"
		  "  MENU LABEL ^Submenu\n"
		  "  LABEL back\n"
		  "    MENU LABEL Back\n"
		  "    MENU EXIT\n"
		  "  LABEL inner\n"
		  "    KERNEL /inner\n"
		  "    MENU DEFAULT\n"
		  "MENU END\n"
		  "MENU SEPARATOR\n"
		  "LABEL off\n kernel /off\n menu disable\n"
		  "LABEL menu\n kernel vesamenu.c32\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 2);
	assert_null(find(&res, "fake"));
	assert_null(find(&res, "back"));
	assert_null(find(&res, "off"));
	assert_null(find(&res, "menu"));
	e = get(&res, "first");
	assert_string_equal(e->cmdline, "after=help");
	/* a submenu's MENU DEFAULT does not make the top default: with a
	 * menu and no default, the first top-level entry is selected */
	assert_true(e->is_default);
	assert_false(get(&res, "inner")->is_default);
	result_free(&res);
}

static void test_include(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/syslinux/syslinux.cfg",
		  "INCLUDE common.cfg\n"
		  "include sub/more.cfg\n"
		  "include missing.cfg\n"
		  "MENU INCLUDE sub/menu.cfg Tagged\n"
		  "LABEL top\n"
		  " kernel /top\n"
		  "include tail.cfg\n"),
		F("/boot/syslinux/common.cfg", "APPEND common=1\n"),
		/* relative to the config's directory, not the includer's */
		F("/boot/syslinux/sub/more.cfg",
		  "LABEL more\n kernel k-more\n include ../deep.cfg\n"),
		F("/boot/deep.cfg", "  INITRD i-more\n"),
		F("/boot/syslinux/deep.cfg", "LABEL wrong\n kernel /wrong\n"),
		F("/boot/syslinux/sub/menu.cfg",
		  "LABEL inmenu\n kernel /m\n"),
		/* INCLUDE does not end the current label */
		F("/boot/syslinux/tail.cfg", "append from=tail\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.warn.n, 0); /* a missing INCLUDE is silent */
	assert_int_equal(res.list.n, 3);
	assert_null(find(&res, "wrong"));
	e = get(&res, "more");
	assert_string_equal(e->kernel, "/boot/syslinux/k-more");
	assert_string_equal(e->cmdline, "common=1");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/boot/syslinux/i-more");
	assert_string_equal(e->config, "/boot/syslinux/sub/more.cfg");
	assert_int_equal(e->config_line, 1);
	e = get(&res, "inmenu");
	assert_string_equal(e->config, "/boot/syslinux/sub/menu.cfg");
	e = get(&res, "top");
	assert_string_equal(e->cmdline, "from=tail");
	result_free(&res);
}

static void test_include_cap(void **state)
{
	static char many[300 * 24];
	struct kj_memfile files[] = {
		F("/syslinux.cfg",
		  "include loop.cfg\n"
		  "label x\n kernel /x\n"),
		F("/loop.cfg", "include loop.cfg\n"),
		{ "/isolinux/isolinux.cfg", many, 0 },
		F("/empty.cfg", ""),
	};
	struct result res;

	(void)state;
	for (int i = 0; i < 300; i++)
		strcat(many, "include /empty.cfg\n");
	files[2].size = strlen(many);
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 1);
	assert_true(has_warning(&res, "/loop.cfg:1: INCLUDE nested deeper "
				      "than 16"));
	assert_true(has_warning(&res, "/isolinux/isolinux.cfg:239: more "
				      "than 256 config files"));
	result_free(&res);
}

/* Long lines are cut like syslinux's 4 KiB line buffer does; the bytes
 * read per scan are capped. */
static void test_size_caps(void **state)
{
	size_t big = (1u << 20) - 1;
	char *line = malloc(big), *huge = malloc(big);
	struct kj_memfile files[] = {
		F("/syslinux.cfg",
		  "label a\n kernel /a\n include /line.cfg\n"
		  "include /huge.cfg\ninclude /huge.cfg\ninclude /huge.cfg\n"
		  "include /huge.cfg\ninclude /huge.cfg\ninclude /huge.cfg\n"
		  "include /huge.cfg\ninclude /huge.cfg\ninclude /huge.cfg\n"
		  "label b\n kernel /b\n"),
		{ "/line.cfg", line, 0 },
		{ "/huge.cfg", huge, big },
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	assert_non_null(line);
	assert_non_null(huge);
	strcpy(line, "append ");
	memset(line + 7, 'x', 9000);
	line[9007] = '\0';
	files[1].size = strlen(line);
	memset(huge, '#', big);
	scan_mem(&res, files, N(files));
	e = get(&res, "a");
	assert_int_equal(strlen(e->cmdline), 4095 - 7);
	assert_non_null(find(&res, "b"));
	assert_true(has_warning(&res, "/line.cfg:1: line longer than 4096"));
	assert_true(has_warning(&res, "/syslinux.cfg:11: more than 8388608 "
				      "bytes"));
	result_free(&res);
	free(line);
	free(huge);
}

static void test_config(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/syslinux/syslinux.cfg",
		  "DEFAULT main\n"
		  "LABEL main\n kernel vmlinuz\n"
		  "LABEL other\n CONFIG /other/other.cfg /other\n"
		  "LABEL again\n config syslinux.cfg\n"
		  "LABEL appdir\n config /third.cfg\n append /third\n"
		  "LABEL menu2\n kernel menu.c32\n append sub.cfg\n"
		  "LABEL gone\n config nothere.cfg\n"),
		F("/other/other.cfg",
		  "DEFAULT o\nLABEL o\n kernel vmlinuz-o\n"
		  "LABEL back\n config /boot/syslinux/syslinux.cfg\n"),
		F("/third.cfg", "LABEL t\n kernel k-t\n"),
		F("/boot/syslinux/sub.cfg",
		  "LABEL s\n kernel k-s\n append -\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 4);
	assert_string_equal(get(&res, "main")->kernel,
			    "/boot/syslinux/vmlinuz");
	assert_true(get(&res, "main")->is_default);
	/* the new config's paths start at the directory CONFIG names */
	e = get(&res, "o");
	assert_string_equal(e->kernel, "/other/vmlinuz-o");
	assert_string_equal(e->config, "/other/other.cfg");
	assert_false(e->is_default);
	assert_string_equal(get(&res, "t")->kernel, "/third/k-t");
	/* without a directory the base stays */
	assert_string_equal(get(&res, "s")->kernel, "/boot/syslinux/k-s");
	assert_null(find(&res, "other"));
	assert_null(find(&res, "menu2"));
	assert_true(has_warning(&res, "/boot/syslinux/syslinux.cfg:14: "
				      "/boot/syslinux/nothere.cfg"));
	assert_int_equal(n_defaults(&res), 1);
	result_free(&res);
}

static void test_pxelinux(void **state)
{
	static const struct kj_memfile files[] = {
		F("/pxelinux.cfg/default",
		  "PATH boot-screens/\n"
		  "DEFAULT net\n"
		  "INCLUDE menus/menu.cfg\n"
		  "LABEL net\n"
		  " KERNEL images/linux\n"
		  " APPEND initrd=images/initrd.gz,::/abs.gz ip=dhcp\n"
		  "LABEL remote\n KERNEL http://server/vmlinuz\n"
		  "LABEL remote2\n KERNEL server::vmlinuz\n"),
		F("/menus/menu.cfg", "LABEL m\n kernel images/m\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 4);
	e = get(&res, "net");
	assert_string_equal(e->kernel, "/images/linux");
	assert_int_equal(e->n_initrd, 2);
	assert_string_equal(e->initrd[0], "/images/initrd.gz");
	assert_string_equal(e->initrd[1], "/abs.gz");
	assert_string_equal(e->cmdline, "ip=dhcp");
	assert_true(e->is_default);
	assert_string_equal(get(&res, "m")->kernel, "/images/m");
	e = get(&res, "remote");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_non_null(e->unsupported);
	assert_null(e->kernel);
	assert_int_equal(get(&res, "remote2")->type, KJ_ENTRY_UNSUPPORTED);
	result_free(&res);
}

static void test_mboot(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/syslinux/syslinux.cfg",
		  "APPEND global=1\n"
		  "LABEL xen\n"
		  " KERNEL mboot.c32\n"
		  " APPEND /xen.gz dom0_mem=1G --- /vmlinuz root=/dev/sda "
		  "initrd=/keep --- initrd.img ---  --- /m3\n"
		  "LABEL xen2\n COM32 /boot/syslinux/MBOOT.C32\n"
		  " APPEND xen.gz\n"
		  "LABEL nokernel\n KERNEL mboot.c32\n APPEND -\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	e = get(&res, "xen");
	assert_int_equal(e->type, KJ_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel, "/xen.gz");
	assert_string_equal(e->cmdline, "dom0_mem=1G");
	assert_int_equal(e->n_initrd, 0);
	assert_int_equal(e->n_modules, 3);
	assert_string_equal(e->modules[0].path, "/vmlinuz");
	assert_string_equal(e->modules[0].cmdline,
			    "root=/dev/sda initrd=/keep");
	assert_string_equal(e->modules[1].path, "/boot/syslinux/initrd.img");
	assert_string_equal(e->modules[1].cmdline, "");
	assert_string_equal(e->modules[2].path, "/m3");
	assert_true(has_warning(&res, "empty mboot.c32 module"));
	e = get(&res, "xen2");
	assert_int_equal(e->type, KJ_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel, "/boot/syslinux/xen.gz");
	assert_int_equal(e->n_modules, 0);
	e = get(&res, "nokernel");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_null(e->kernel);
	result_free(&res);
}

static void test_unsupported(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/syslinux/syslinux.cfg",
		  "LABEL hdt\n KERNEL hdt.c32\n"
		  "LABEL chain\n COM32 chain.c32\n APPEND hd0 1\n"
		  "LABEL local\n LOCALBOOT 0\n"
		  "LABEL bs\n KERNEL win.bin\n"
		  "LABEL floppy\n KERNEL dos.img\n"
		  "LABEL forced\n LINUX dos.img\n"
		  "LABEL viamod\n KERNEL linux.c32\n"
		  " APPEND /vmlinuz initrd=/i.gz ro\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 7);
	e = get(&res, "hdt");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_string_equal(e->unsupported,
			    "hdt.c32: a syslinux module, not a kernel");
	e = get(&res, "chain");
	assert_int_equal(e->type, KJ_ENTRY_UNSUPPORTED);
	assert_string_equal(e->cmdline, "hd0 1");
	assert_null(e->kernel);
	assert_int_equal(get(&res, "local")->type, KJ_ENTRY_UNSUPPORTED);
	assert_int_equal(get(&res, "bs")->type, KJ_ENTRY_UNSUPPORTED);
	assert_int_equal(get(&res, "floppy")->type, KJ_ENTRY_UNSUPPORTED);
	e = get(&res, "forced");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/boot/syslinux/dos.img");
	e = get(&res, "viamod");
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/vmlinuz");
	assert_string_equal(e->cmdline, "ro");
	assert_int_equal(e->n_initrd, 1);
	result_free(&res);
}

static void test_default_command(void **state)
{
	static const struct kj_memfile files[] = {
		F("/syslinux.cfg",
		  "APPEND console=ttyS0\n"
		  "DEFAULT vmlinuz root=/dev/sda2 initrd=initrd.gz\n"
		  "LABEL other\n kernel /other\n"),
		F("/isolinux/isolinux.cfg",
		  "IMPLICIT 0\n"
		  "DEFAULT nolabel\n"),
		F("/extlinux/extlinux.conf", "ONTIMEOUT /k2 x=1\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	e = get(&res, "default");
	assert_string_equal(e->title,
			    "vmlinuz root=/dev/sda2 initrd=initrd.gz");
	assert_true(e->is_default);
	assert_string_equal(e->kernel, "/vmlinuz");
	assert_string_equal(e->cmdline, "console=ttyS0 root=/dev/sda2");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/initrd.gz");
	assert_string_equal(e->config, "/syslinux.cfg");
	assert_int_equal(e->config_line, 2);
	assert_null(find(&res, "nolabel"));
	assert_true(has_warning(&res, "/isolinux/isolinux.cfg:2: DEFAULT "
				      "nolabel names no label"));
	/* ONTIMEOUT works like DEFAULT, but only the first family marks */
	e = get(&res, "ontimeout");
	assert_false(e->is_default);
	assert_string_equal(e->cmdline, "x=1");
	assert_int_equal(n_defaults(&res), 1);
	result_free(&res);
}

static void test_extlinux_fdt(void **state)
{
	static const struct kj_memfile files[] = {
		F("/boot/extlinux/extlinux.conf",
		  "menu title U-Boot menu\n"
		  "timeout 30\n"
		  "fdt /x.dtb\n"
		  "default l0\n"
		  "label l0\n"
		  "\tmenu label Debian 6.1\n"
		  "\tlinux /boot/vmlinuz-6.1\n"
		  "\tinitrd /boot/initrd.img-6.1\n"
		  "\tfdtdir /usr/lib/linux-image-6.1/\n"
		  "\tappend root=/dev/mmcblk0p2\n"
		  "label l1\n"
		  "\tkernel ../Image.img\n"
		  "\tfdt dtbs/board.dtb\n"
		  "label l2\n"
		  "\tkernel /Image\n"
		  "\tdevicetree /b.dtb\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.info.timeout, 30);
	e = get(&res, "l0");
	assert_true(e->is_default);
	assert_string_equal(e->title, "Debian 6.1");
	assert_null(e->devicetree);
	assert_string_equal(e->cmdline, "root=/dev/mmcblk0p2");
	assert_string_equal(e->initrd[0], "/boot/initrd.img-6.1");
	e = get(&res, "l1");
	assert_int_equal(e->type, KJ_ENTRY_LINUX); /* .img is no floppy here */
	assert_string_equal(e->kernel, "/boot/Image.img");
	assert_string_equal(e->devicetree, "/boot/extlinux/dtbs/board.dtb");
	assert_string_equal(get(&res, "l2")->devicetree, "/b.dtb");
	assert_true(has_warning(&res, "extlinux.conf:3: FDT outside"));
	result_free(&res);
}

static void test_warnings(void **state)
{
	static const struct kj_memfile files[] = {
		F("/syslinux.cfg",
		  "initrd /x\n"
		  "kernel /y\n"
		  "LABEL\n"
		  " kernel /nameless\n"
		  "INCLUDE\n"
		  "LABEL ok\n kernel /ok\n"
		  "MENU END\nMENU END\n"
		  "\x01garbage \xff\xfe\n"
		  "LABEL nul\n kernel /k\0hidden\n"),
	};
	struct result res;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 2);
	assert_non_null(find(&res, "ok"));
	assert_string_equal(get(&res, "nul")->kernel, "/k");
	assert_true(has_warning(&res, "/syslinux.cfg:1: INITRD outside"));
	assert_true(has_warning(&res, "/syslinux.cfg:2: kernel outside"));
	assert_true(has_warning(&res, "/syslinux.cfg:3: LABEL without"));
	assert_true(has_warning(&res, "/syslinux.cfg:5: INCLUDE without"));
	result_free(&res);
}

static void test_dedupe_families(void **state)
{
	static const struct kj_memfile files[] = {
		F("/syslinux/syslinux.cfg", "include /common.cfg\n"),
		F("/isolinux/isolinux.cfg",
		  "include /common.cfg\nlabel iso\n kernel /iso\n"),
		F("/common.cfg",
		  "default a\nlabel a\n kernel /a\nlabel b\n kernel /b\n"),
	};
	struct result res;

	(void)state;
	scan_mem(&res, files, N(files));
	assert_int_equal(res.list.n, 3);
	assert_true(get(&res, "a")->is_default);
	assert_int_equal(n_defaults(&res), 1);
	result_free(&res);
}

static void test_parse_explicit(void **state)
{
	static const struct kj_memfile files[] = {
		F("/srv/tftp/pxelinux.cfg/default",
		  "label a\n kernel img/vmlinuz\n"),
	};
	struct kj_root root = { .name = "mem", .dirfd = -1, .mem = files,
				.n_mem = N(files) };
	struct kj_entry_list list = { 0 };
	struct kj_warnings warn = { 0 };
	struct kj_syslinux_info info;

	(void)state;
	assert_int_equal(kj_syslinux_parse(&root, "/srv/tftp/pxelinux.cfg/"
						  "default",
					   "/srv/tftp", &list, &warn, &info),
			 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.v[0].kernel, "/srv/tftp/img/vmlinuz");
	assert_string_equal(info.config, "/srv/tftp/pxelinux.cfg/default");
	kj_entry_list_free(&list);
	/* a missing config is a warning, not an error */
	assert_int_equal(kj_syslinux_parse(&root, "/nope.cfg", NULL, &list,
					   &warn, NULL),
			 0);
	assert_int_equal(list.n, 0);
	assert_int_equal(warn.n, 1);
	kj_warnings_free(&warn);
}

static void test_empty_root(void **state)
{
	struct result res;

	(void)state;
	scan_mem(&res, NULL, 0);
	assert_int_equal(res.list.n, 0);
	assert_null(res.info.config);
	result_free(&res);
}

/* ---- a real directory, read with openat2(RESOLVE_IN_ROOT) ---- */

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_dir_root(void **state)
{
	char tmpl[] = "/tmp/kj-syslinux-XXXXXX", root_dir[600], sub[700],
	     link[700], cmd[700];
	struct kj_root root;
	struct kj_err err;
	struct result res;
	const struct kj_entry *e;
	char *tmp = mkdtemp(tmpl);

	(void)state;
	assert_non_null(tmp);
	/* outside.cfg lives next to the root, not in it */
	put(tmp, "outside.cfg", "LABEL escaped\n kernel /evil\n");
	snprintf(root_dir, sizeof(root_dir), "%s/root", tmp);
	assert_int_equal(mkdir(root_dir, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/real", root_dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(sub, "default",
	    "DEFAULT d\n"
	    "INCLUDE up.cfg\nINCLUDE abs.cfg\n"
	    "LABEL d\n kernel boot/vmlinuz\n append initrd=boot/i.gz q\n");
	/* a directory symlink inside the root, like Debian's netboot tree */
	snprintf(link, sizeof(link), "%s/pxelinux.cfg", root_dir);
	assert_int_equal(symlink("real", link), 0);
	snprintf(link, sizeof(link), "%s/up.cfg", root_dir);
	assert_int_equal(symlink("../outside.cfg", link), 0);
	snprintf(link, sizeof(link), "%s/abs.cfg", root_dir);
	snprintf(cmd, sizeof(cmd), "%s/outside.cfg", tmp);
	assert_int_equal(symlink(cmd, link), 0);

	assert_int_equal(kj_root_open_dir(&root, root_dir, "dir", &err), 0);
	memset(&res, 0, sizeof(res));
	assert_int_equal(kj_syslinux_scan_info(&root, &res.list, &res.warn,
					       &res.info),
			 0);
	assert_int_equal(res.list.n, 1);
	assert_null(find(&res, "escaped"));
	e = get(&res, "d");
	assert_true(e->is_default);
	assert_string_equal(e->config, "/pxelinux.cfg/default");
	assert_string_equal(e->kernel, "/boot/vmlinuz");
	assert_string_equal(e->initrd[0], "/boot/i.gz");
	assert_string_equal(e->cmdline, "q");
	assert_string_equal(e->root_name, "dir");
	result_free(&res);
	kj_root_close(&root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

/* ---- Debian's netboot tree (tools/fetch-netboot; KJ_NETBOOT_DIR) ---- */

/* Scan one flavour ("text", "gtk") of the netboot tree; false to skip. */
static bool scan_netboot(struct result *res, const char *flavour)
{
	const char *dir = getenv("KJ_NETBOOT_DIR");
	struct kj_root root;
	struct kj_err err;
	char path[1024];

	if (!dir || !*dir)
		return false;
	snprintf(path, sizeof(path),
		 "%s/usr/lib/debian-installer/images/12/amd64/%s", dir,
		 flavour);
	assert_int_equal(kj_root_open_dir(&root, path, "netboot", &err), 0);
	memset(res, 0, sizeof(*res));
	assert_int_equal(kj_syslinux_scan_info(&root, &res->list, &res->warn,
					       &res->info),
			 0);
	kj_root_close(&root);
	dump(res);
	/* its menus INCLUDE files the package leaves out: no warning */
	assert_int_equal(res->warn.n, 0);
	return true;
}

static void test_debian_netboot(void **state)
{
	static const char *const ids[] = { "install", "expert", "rescue",
					   "auto", "installdark",
					   "expertdark", "rescuedark",
					   "autodark" };
	struct result res;
	const struct kj_entry *e;

	(void)state;
	if (!scan_netboot(&res, "text"))
		skip();
	assert_string_equal(res.info.config, "/pxelinux.cfg/default");
	assert_int_equal(res.info.timeout, 0);
	assert_false(res.info.prompt);
	assert_true(res.info.menu); /* DEFAULT .../vesamenu.c32 */
	assert_int_equal(res.list.n, N(ids));
	for (size_t i = 0; i < N(ids); i++) {
		e = get(&res, ids[i]);
		assert_int_equal(e->type, KJ_ENTRY_LINUX);
		assert_string_equal(e->kernel,
				    "/debian-installer/amd64/linux");
		assert_int_equal(e->n_initrd, 1);
		assert_string_equal(e->initrd[0],
				    "/debian-installer/amd64/initrd.gz");
	}
	e = get(&res, "install");
	assert_string_equal(e->title, "Install");
	assert_string_equal(e->cmdline, "vga=788 --- quiet");
	assert_string_equal(e->config,
			    "/debian-installer/amd64/boot-screens/txt.cfg");
	assert_int_equal(e->config_line, 1);
	assert_true(e->is_default);
	assert_int_equal(n_defaults(&res), 1);
	e = get(&res, "expert");
	assert_string_equal(e->title, "Expert install");
	assert_string_equal(e->cmdline, "priority=low vga=788 ---");
	e = get(&res, "rescuedark");
	assert_string_equal(e->title, "Rescue mode");
	assert_string_equal(e->cmdline,
			    "vga=788 rescue/enable=true theme=dark --- quiet");
	e = get(&res, "auto");
	assert_string_equal(e->cmdline,
			    "auto=true priority=critical vga=788 --- quiet");
	result_free(&res);
}

/* The graphical flavour adds speech-synthesis entries and an ONTIMEOUT
 * command (no label) that starts the speech install after 30 s. */
static void test_debian_netboot_gtk(void **state)
{
	struct result res;
	const struct kj_entry *e;

	(void)state;
	if (!scan_netboot(&res, "gtk"))
		skip();
	assert_int_equal(res.info.timeout, 300);
	assert_int_equal(n_defaults(&res), 1);
	e = get(&res, "ontimeout");
	assert_true(e->is_default);
	assert_int_equal(e->type, KJ_ENTRY_LINUX);
	assert_string_equal(e->kernel, "/debian-installer/amd64/linux");
	assert_int_equal(e->n_initrd, 1);
	assert_string_equal(e->initrd[0], "/debian-installer/amd64/initrd.gz");
	assert_string_equal(e->cmdline, "vga=788 speakup.synth=soft --- quiet");
	assert_string_equal(e->config,
			    "/debian-installer/amd64/boot-screens/spk.cfg");
	e = get(&res, "installspk");
	assert_string_equal(e->title, "Install with speech synthesis");
	assert_false(e->is_default);
	assert_non_null(find(&res, "expertspk"));
	assert_non_null(find(&res, "rescuespk"));
	assert_non_null(find(&res, "install"));
	assert_null(find(&res, "advancedmenu"));
	assert_null(find(&res, "help"));
	result_free(&res);
}

/* Issue 15, case 8: menu.c32/vesamenu.c32 keep the whole LABEL line as
 * the name; the core alone takes its first word. */
static void test_label_with_spaces(void **state)
{
	static const struct kj_memfile menu[] = {
		F("/isolinux/isolinux.cfg",
		  "DEFAULT Live system (amd64 fail-safe mode)\n"
		  "LABEL Live system (amd64)\n"
		  "  KERNEL /live/vmlinuz\n"
		  "  APPEND boot=live\n"
		  "LABEL Live system (amd64 fail-safe mode)\n"
		  "  KERNEL /live/vmlinuz\n"
		  "  APPEND boot=live noapic\n"
		  "LABEL plain\n"
		  "  MENU LABEL ^Plain one\n"
		  "  KERNEL /live/vmlinuz\n"
		  "UI vesamenu.c32\n"),
	};
	static const struct kj_memfile old_menu[] = {
		F("/isolinux/isolinux.cfg", "DEFAULT menu.c32\n"
					    "LABEL Install it\n"
					    "  KERNEL /install/vmlinuz\n"),
	};
	static const struct kj_memfile core[] = {
		F("/isolinux/isolinux.cfg", "DEFAULT live\n"
					    "LABEL live system\n"
					    "  KERNEL /live/vmlinuz\n"
					    "LABEL other words here\n"
					    "  KERNEL /live/other\n"),
	};
	struct result res;
	const struct kj_entry *e;

	(void)state;
	scan_mem(&res, menu, N(menu));
	assert_int_equal(res.list.n, 3);
	e = get(&res, "Live system (amd64)");
	assert_string_equal(e->title, "Live system (amd64)");
	assert_string_equal(e->kernel, "/live/vmlinuz");
	assert_string_equal(e->cmdline, "boot=live");
	assert_false(e->is_default);
	e = get(&res, "Live system (amd64 fail-safe mode)");
	assert_string_equal(e->cmdline, "boot=live noapic");
	assert_true(e->is_default);
	assert_string_equal(get(&res, "plain")->title, "Plain one");
	assert_int_equal(res.warn.n, 0);
	result_free(&res);

	scan_mem(&res, old_menu, N(old_menu));
	assert_int_equal(res.list.n, 1);
	assert_string_equal(get(&res, "Install it")->kernel,
			    "/install/vmlinuz");
	result_free(&res);

	scan_mem(&res, core, N(core));
	assert_int_equal(res.list.n, 2);
	e = get(&res, "live");
	assert_string_equal(e->title, "live");
	assert_true(e->is_default);
	assert_string_equal(get(&res, "other")->kernel, "/live/other");
	result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_case_and_crlf),
		cmocka_unit_test(test_initrd_first_wins),
		cmocka_unit_test(test_menu_default_and_hide),
		cmocka_unit_test(test_hidden_default),
		cmocka_unit_test(test_text_help_and_submenus),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_cap),
		cmocka_unit_test(test_size_caps),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_pxelinux),
		cmocka_unit_test(test_mboot),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_default_command),
		cmocka_unit_test(test_extlinux_fdt),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_dedupe_families),
		cmocka_unit_test(test_parse_explicit),
		cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_dir_root),
		cmocka_unit_test(test_debian_netboot),
		cmocka_unit_test(test_debian_netboot_gtk),
		cmocka_unit_test(test_label_with_spaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

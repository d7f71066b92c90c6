#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_print.h"

#define X86_64 (62ul << 16) /* KEXEC_ARCH_X86_64 */

static void sample(struct kj_plan *p)
{
	static const char data[0x10000];

	kj_plan_init(p);
	kj_plan_add(p, "kernel", data, 0x10000, 0x1000000, 0x2000000, false,
		    NULL);
	kj_plan_add(p, "initrd", data, 0x5001, 0x7fff9000, 0x5001, false, NULL);
	kj_plan_add(p, "purgatory", data, 0x1400, 0x7fff6000, 0x3000, false,
		    NULL);
	p->entry = 0x7fff6000;
	p->flags = X86_64;
	p->cmdline = "console=ttyS0 x=\"a\\b\"\t";
	p->next.mode = KJ_MODE_X86_LINUX64;
	p->next.pc = 0x1000200;
	p->next.reg[0] = 0xbffdf000;
	p->algorithm = "xxh64";
	strcpy(p->seg[0].digest, "0123456789abcdef");
	strcpy(p->seg[1].digest, "fedcba9876543210");
}

static char *capture(const struct kj_plan *p, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(json ? kj_plan_print_json(p, f) : kj_plan_print(p, f),
			 0);
	fclose(f);
	return text;
}

static void test_text(void **state)
{
	struct kj_plan p;
	char *t;

	sample(&p);
	t = capture(&p, false);
	assert_string_equal(t,
		" #  start       end             memsz      bufsz  what\n"
		" 0  0x01000000  0x02ffffff     32 MiB     64 KiB  kernel\n"
		" 1  0x7fff9000  0x7fffefff     24 KiB   20.1 KiB  initrd\n"
		" 2  0x7fff6000  0x7fff8fff     12 KiB      5 KiB  purgatory\n"
		"entry    0x7fff6000 (purgatory)\n"
		"then     0x1000200 (64-bit), rsi=0xbffdf000\n"
		"flags    0x3e0000\n"
		"checks   xxh64\n"
		/* A command line may come from a disk: control bytes escaped. */
		"cmdline  console=ttyS0 x=\"a\\b\"\\x09\n");
	free(t);
}

static void test_text_wide_addresses(void **state)
{
	struct kj_plan p;
	char *t;

	kj_plan_init(&p);
	kj_plan_add(&p, "initrd", NULL, 0, 0x120000000, 0x1000, false, NULL);
	kj_plan_add(&p, "kernel", NULL, 0, 0x1000000, 0x1000, false, NULL);
	p.entry = 0x5;
	p.flags = X86_64 | KJ_KEXEC_ON_CRASH;
	t = capture(&p, false);
	assert_non_null(strstr(t, " 0  0x120000000  0x120000fff"));
	assert_non_null(strstr(t, " 1  0x001000000  0x001000fff"));
	assert_non_null(strstr(t, "entry    0x5 (outside every segment)\n"));
	assert_non_null(strstr(t, "flags    0x3e0001 (on crash)\n"));
	assert_null(strstr(t, "then"));
	assert_non_null(strstr(t, "checks   none\n"));
	assert_null(strstr(t, "cmdline"));
	free(t);
}

static void test_json(void **state)
{
	struct kj_plan p;
	char *t;

	sample(&p);
	t = capture(&p, true);
	assert_string_equal(t,
		"{\"segments\":["
		"{\"index\":0,\"mem\":16777216,\"end\":50331648,"
		"\"memsz\":33554432,\"bufsz\":65536,\"what\":\"kernel\","
		"\"digest\":\"0123456789abcdef\"},"
		"{\"index\":1,\"mem\":2147454976,\"end\":2147479552,"
		"\"memsz\":24576,\"bufsz\":20481,\"what\":\"initrd\","
		"\"digest\":\"fedcba9876543210\"},"
		"{\"index\":2,\"mem\":2147442688,\"end\":2147454976,"
		"\"memsz\":12288,\"bufsz\":5120,\"what\":\"purgatory\","
		"\"digest\":null}],"
		"\"entry\":2147442688,\"flags\":4063232,\"panic\":false,"
		"\"algorithm\":\"xxh64\","
		"\"cmdline\":\"console=ttyS0 x=\\\"a\\\\b\\\"\\t\","
		"\"registers\":{\"mode\":\"linux64\",\"entry\":16777728,"
		"\"rsi\":3221090304}}\n");
	free(t);
	/* A 32-bit entry names its own registers. */
	p.next.mode = KJ_MODE_X86_PM32;
	p.next.pc = 0x100000;
	p.next.reg[0] = 0x2badb002;
	p.next.reg[1] = 0x10000;
	t = capture(&p, true);
	assert_non_null(strstr(t, "\"registers\":{\"mode\":\"pm32\","
				  "\"entry\":1048576,\"eax\":732803074,"
				  "\"ebx\":65536,\"esi\":0}"));
	free(t);
	t = capture(&p, false);
	assert_non_null(strstr(t, "then     0x100000 (32-bit), eax=0x2badb002 "
				  "ebx=0x10000 esi=0x0\n"));
	free(t);
	p.next.mode = KJ_MODE_NONE;
	p.cmdline = NULL;
	p.algorithm = NULL;
	p.seg[0].digest[0] = p.seg[1].digest[0] = '\0';
	t = capture(&p, true);
	assert_non_null(strstr(t, "\"cmdline\":null,\"registers\":null}"));
	assert_non_null(strstr(t, "\"algorithm\":\"none\""));
	assert_null(strstr(t, "\"digest\":\""));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_wide_addresses),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

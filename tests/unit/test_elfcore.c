#include "testlib.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "arch/arch.h"
#include "core/elfcore.h"
#include "sys/crash_notes.h"
#include "fixtures.h"

static struct kj_memmap mm;

/* What the load step does for a --panic load: read the running kernel's
 * notes through the sysroot, then build the header. */
static int build(uint8_t **buf, size_t *len, struct kj_elfcore_info *info,
		 struct kj_err *err)
{
	struct kj_crash_notes notes;
	int r = kj_sys_crash_notes(&notes, err);

	if (r == 0)
		r = kj_elfcore_build(&mm, &notes, EM_X86_64, buf, len, info,
				     err);
	kj_crash_notes_free(&notes);
	return r;
}

static void test_header(void **state)
{
	struct kj_elfcore_info info;
	struct kj_err err;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	uint8_t *buf;
	size_t len;

	kj_fx_sysroot("crash-qemu"); /* crash region 0x2b000000-0x32ffffff */
	assert_int_equal(kj_arch_memmap_read(&mm, &err), 0);
	assert_int_equal(build(&buf, &len, &info, &err), 0);
	/* cpu2 has no crash_notes: skipped, the others are kept. */
	assert_int_equal(info.ncpu_notes, 2);
	assert_true(info.vmcoreinfo);
	assert_int_equal(info.nload, 4);
	eh = (const Elf64_Ehdr *)buf;
	assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh->e_type, ET_CORE);
	assert_int_equal(eh->e_machine, EM_X86_64);
	assert_int_equal(eh->e_phoff, sizeof(*eh));
	assert_int_equal(eh->e_phnum, 7);
	assert_int_equal(len, sizeof(*eh) + 7 * sizeof(*ph));
	ph = (const Elf64_Phdr *)(buf + eh->e_phoff);
	assert_int_equal(ph[0].p_type, PT_NOTE);
	assert_int_equal(ph[0].p_paddr, 0x2fd5e000);
	assert_int_equal(ph[0].p_memsz, 424);     /* crash_notes_size */
	assert_int_equal(ph[1].p_offset, 0x2fd5f000);
	assert_int_equal(ph[1].p_memsz, 1024);    /* the default */
	assert_int_equal(ph[2].p_type, PT_NOTE);  /* vmcoreinfo, hex size */
	assert_int_equal(ph[2].p_paddr, 0x33c2000);
	assert_int_equal(ph[2].p_filesz, 0x1024);
	/* RAM, with the crash region cut out of the middle range. */
	assert_int_equal(ph[3].p_type, PT_LOAD);
	assert_int_equal(ph[3].p_offset, 0);
	assert_int_equal(ph[3].p_memsz, 0x9fc00);
	assert_int_equal(ph[4].p_paddr, 0x100000);
	assert_int_equal(ph[4].p_memsz, 0x2b000000 - 0x100000);
	assert_int_equal(ph[5].p_paddr, 0x33000000);
	assert_int_equal(ph[5].p_memsz, 0xbffe0000 - 0x33000000);
	assert_int_equal(ph[6].p_paddr, 0x100000000);
	assert_int_equal(ph[6].p_flags, PF_R | PF_W | PF_X);
	free(buf);
}

static void test_bad_notes(void **state)
{
	struct kj_err err;
	uint8_t *buf;
	size_t len;
	char *root = kj_fx_mkroot();

	memset(&mm, 0, sizeof(mm));
	kj_memmap_add(&mm, 0x100000, 0x40000000, KJ_MEM_RAM, NULL);
	kj_fx_puts(root, "sys/devices/system/cpu/cpu0/crash_notes", "zz\n");
	assert_int_equal(build(&buf, &len, NULL, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "/sys/devices/system/cpu/cpu0/crash_notes: not an address");
	/* All RAM reserved for the crash kernel: nothing to dump. */
	kj_fx_puts(root, "sys/devices/system/cpu/cpu0/crash_notes", "1000\n");
	mm.crash[0].start = 0;
	mm.crash[0].end = 0x80000000;
	mm.ncrash = 1;
	assert_int_equal(build(&buf, &len, NULL, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "no System RAM outside"));
	kj_fx_rmroot(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_bad_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A fixture device tree, tests/unit/fixtures/dtb/NAME.dts, compiled with
 * dtc (device-tree-compiler) into a malloc'd blob: the trees stay
 * readable source in the repository. */
#ifndef KJ_TEST_DTC_FIXTURE_H
#define KJ_TEST_DTC_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixtures.h"
#include "testlib.h"

/* args: extra dtc arguments ("-S 1048576" pads the blob), or NULL. */
static inline uint8_t *kj_test_dtb(const char *name, const char *args,
				   size_t *len)
{
	char cmd[1024], out[] = "/tmp/kjump-dtb-XXXXXX";
	int fd = mkstemp(out);
	uint8_t *buf;
	FILE *f;
	long n;

	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "dtc -q -I dts -O dtb %s -o %s " KJ_FIXTURES "/dtb/%s.dts",
		 args ? args : "", out, name);
	if (system(cmd))
		fail_msg("%s failed (is device-tree-compiler installed?)", cmd);
	f = fopen(out, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(out);
	*len = (size_t)n;
	return buf;
}

#endif

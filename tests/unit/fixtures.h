/* Where the unit tests' fixture trees live, and a helper to point the
 * sysroot layer at one of them. Tests run from the repository root. */
#ifndef KJ_TEST_FIXTURES_H
#define KJ_TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>

#define KJ_FIXTURES "tests/unit/fixtures"

static inline void kj_test_sysroot(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", KJ_FIXTURES, name);
	setenv("KJUMP_SYSROOT", path, 1);
}

#endif

/* Common includes for the cmocka unit tests. */
#ifndef KJ_TESTLIB_H
#define KJ_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif

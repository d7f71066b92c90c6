#include "sys/syscall_choice.h"

#include <errno.h>

bool kj_file_load_may_fall_back(int code)
{
	if (code < 0)
		code = -code;
	return code == ENOSYS || code == ENOEXEC || code == EINVAL ||
	       code == EOPNOTSUPP;
}

#include "sys/syscall_choice.h"

#include <errno.h>
#include <string.h>

static int positive(int code)
{
	return code < 0 ? -code : code;
}

bool kj_is_signature_errno(int code)
{
	code = positive(code);
	return code == EKEYREJECTED || code == EBADMSG || code == ENOKEY ||
	       code == ENODATA || code == ENOPKG || code == ELIBBAD;
}

bool kj_file_load_may_fall_back(int code, const char *lockdown)
{
	code = positive(code);
	if (code == ENOSYS || code == ENOEXEC || code == EINVAL ||
	    code == EOPNOTSUPP)
		return true;
	return kj_is_signature_errno(code) && lockdown &&
	       !strcmp(lockdown, "none");
}

bool kj_unload_may_fall_back(int code)
{
	return positive(code) == ENOSYS;
}

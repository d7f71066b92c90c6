#include "arch/arch.h"

const char *kj_arch_name(enum kj_arch arch)
{
	switch (arch) {
	case KJ_ARCH_X86_64:
		return "x86_64";
	case KJ_ARCH_ARM64:
		return "arm64";
	case KJ_ARCH_ANY:
		break;
	}
	return "any";
}

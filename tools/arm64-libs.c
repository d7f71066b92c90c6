/* Links every library kjump uses, statically, for arm64: proof that the
 * cross toolchain, the multiarch -dev packages and the cached libfdt
 * (tools/deps arm64) are complete. Built by `make arm64-toolchain`. */
#include <blkid/blkid.h>
#include <libfdt.h>
#include <lzma.h>
#include <stdio.h>
#include <uuid/uuid.h>
#include <zlib.h>
#include <zstd.h>

int main(void)
{
	uuid_t u;

	uuid_generate(u);
	printf("zlib %s, xz %s, zstd %u, libfdt \"%s\", blkid %d\n",
	       zlibVersion(), lzma_version_string(), ZSTD_versionNumber(),
	       fdt_strerror(0), blkid_probe_all(NULL));
	return 0;
}

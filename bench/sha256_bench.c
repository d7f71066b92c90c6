/* Segment-digest throughput on each SHA-256 path this CPU has:
 * build/bench/sha256_bench [MiB]. Measures kj_sha256_list (what the
 * loader and the purgatory compute), so the AVX2 path hashes eight
 * 64 KiB chunks at a time and the others one after another. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/sha256_list.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(const char *name, enum kj_sha256_impl impl,
		const uint8_t *buf, size_t len)
{
	double best = 1e9;
	uint8_t d[32];
	int i;

	kj_sha256_force_impl(impl);
	if (kj_sha256_active_impl() != impl) {
		printf("%-9s not available on this CPU\n", name);
		return;
	}
	for (i = 0; i < 5; i++) {
		double t = now();

		kj_sha256_list(buf, len, d);
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("%-9s %8.1f MB/s  (%zu MiB, best of 5, digest %02x%02x..)\n",
	       name, len / best / 1e6, len >> 20, d[0], d[1]);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64, i;
	size_t len = mib << 20;
	uint8_t *buf = malloc(len);

	if (!buf || !len)
		return 1;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	run("portable", KJ_SHA256_PORTABLE, buf, len);
	run("avx2-x8", KJ_SHA256_AVX2, buf, len);
	run("sha-ni", KJ_SHA256_SHANI, buf, len);
	free(buf);
	return 0;
}

/* See segment_digest.h. Freestanding: built into the purgatory too. */
#include "core/segment_digest.h"

#include "core/sha256_list.h"
#include "core/xxh64.h"

size_t kj_digest_len(uint32_t alg)
{
	switch (alg) {
	case KJ_DIGEST_XXH64:
		return 8;
	case KJ_DIGEST_SHA256:
		return KJ_SHA256_LEN;
	}
	return 0;
}

const char *kj_digest_name(uint32_t alg)
{
	switch (alg) {
	case KJ_DIGEST_XXH64:
		return "xxh64";
	case KJ_DIGEST_SHA256:
		return "sha256";
	}
	return NULL;
}

size_t kj_segment_digest(uint32_t alg, const void *data, size_t len,
			 uint8_t out[KJ_DIGEST_MAX])
{
	uint64_t h;

	switch (alg) {
	case KJ_DIGEST_XXH64:
		h = kj_xxh64(data, len);
		for (int i = 0; i < 8; i++)
			out[i] = (uint8_t)(h >> (56 - 8 * i));
		return 8;
	case KJ_DIGEST_SHA256:
		kj_sha256_list(data, len, out);
		return KJ_SHA256_LEN;
	}
	return 0;
}

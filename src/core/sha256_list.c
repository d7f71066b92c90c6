/* See sha256_list.h. Freestanding: built into the purgatory too. */
#include "core/sha256_list.h"

#include "core/sha256_x8.h"

/* Eight whole chunks at p, p + CHUNK, ...: their digests go into list.
 * Every lane has the same length, so they share the padding block. */
static void eight_chunks(struct kj_sha256 *list, const uint8_t *p)
{
	static const uint64_t bits = (uint64_t)KJ_SHA256_LIST_CHUNK * 8;
	uint8_t pad[KJ_SHA256_BLOCK] = { 0x80 };
	const uint8_t *msg[8], *padv[8];
	struct kj_sha256 fresh;
	uint32_t st[8][8];
	uint8_t d[KJ_SHA256_LEN];

	kj_sha256_init(&fresh); /* the initial hash value, for every lane */
	for (int i = 0; i < 8; i++)
		pad[KJ_SHA256_BLOCK - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (int l = 0; l < 8; l++) {
		msg[l] = p + (size_t)l * KJ_SHA256_LIST_CHUNK;
		padv[l] = pad;
		for (int j = 0; j < 8; j++)
			st[l][j] = fresh.h[j];
	}
	kj_sha256_x8_blocks(st, msg, KJ_SHA256_LIST_CHUNK / KJ_SHA256_BLOCK);
	kj_sha256_x8_blocks(st, padv, 1);
	for (int l = 0; l < 8; l++) {
		for (int j = 0; j < 8; j++) {
			d[4 * j] = (uint8_t)(st[l][j] >> 24);
			d[4 * j + 1] = (uint8_t)(st[l][j] >> 16);
			d[4 * j + 2] = (uint8_t)(st[l][j] >> 8);
			d[4 * j + 3] = (uint8_t)st[l][j];
		}
		kj_sha256_update(list, d, sizeof(d));
	}
}

void kj_sha256_list(const void *data, size_t len, uint8_t out[KJ_SHA256_LEN])
{
	const uint8_t *p = data;
	struct kj_sha256 list;
	uint8_t d[KJ_SHA256_LEN];

	kj_sha256_init(&list);
	if (kj_sha256_active_impl() == KJ_SHA256_AVX2) {
		for (; len >= 8 * (size_t)KJ_SHA256_LIST_CHUNK;
		     len -= 8 * (size_t)KJ_SHA256_LIST_CHUNK,
		     p += 8 * (size_t)KJ_SHA256_LIST_CHUNK)
			eight_chunks(&list, p);
	}
	while (len) {
		size_t n =
			len < KJ_SHA256_LIST_CHUNK ? len : KJ_SHA256_LIST_CHUNK;

		kj_sha256(p, n, d);
		kj_sha256_update(&list, d, sizeof(d));
		p += n;
		len -= n;
	}
	kj_sha256_final(&list, out);
}

#include "image/mapguard.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The table the handler reads: only whole-entry stores outside it, and
 * kjump is single-threaded, so a plain array is enough. */
static struct watch {
	const uint8_t *data;
	size_t size;
	int fd;
	const char *name;
	volatile sig_atomic_t changed;
} watches[KJ_MAPGUARD_MAX];
static bool installed;
static struct sigaction previous;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	const uint8_t *at = si->si_addr;
	long page = sysconf(_SC_PAGESIZE);

	(void)uc;
	for (size_t i = 0; i < KJ_MAPGUARD_MAX; i++) {
		struct watch *w = &watches[i];

		if (!w->data || at < w->data || at >= w->data + w->size)
			continue;
		/* mmap is async-signal-safe in practice (a plain syscall):
		 * zeros where the file ended, and the read retries. */
		if (mmap((void *)((uintptr_t)at & ~(uintptr_t)(page - 1)),
			 (size_t)page, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			 0) != MAP_FAILED) {
			w->changed = 1;
			return;
		}
		break;
	}
	/* Not ours: what SIGBUS would have done without us. */
	sigaction(sig, &previous, NULL);
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &previous) == 0)
		installed = true;
}

void kj_mapguard_add(const uint8_t *data, size_t size, int fd,
		     const char *name)
{
	if (!data)
		return;
	if (!installed)
		install();
	for (size_t i = 0; i < KJ_MAPGUARD_MAX; i++)
		if (!watches[i].data) {
			watches[i].changed = 0;
			watches[i].size = size;
			watches[i].fd = fd;
			watches[i].name = name;
			watches[i].data = data; /* last: now the handler sees it */
			return;
		}
}

void kj_mapguard_remove(const uint8_t *data)
{
	for (size_t i = 0; data && i < KJ_MAPGUARD_MAX; i++)
		if (watches[i].data == data)
			watches[i].data = NULL;
}

int kj_mapguard_check(struct kj_err *err)
{
	for (size_t i = 0; i < KJ_MAPGUARD_MAX; i++) {
		const struct watch *w = &watches[i];
		struct stat st;

		if (!w->data)
			continue;
		if (w->changed || (fstat(w->fd, &st) == 0 &&
				   (uint64_t)st.st_size != w->size))
			return kj_fail(err, ESTALE,
				       "%s: changed size while being read",
				       w->name ? w->name : "file");
	}
	return 0;
}

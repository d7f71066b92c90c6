/* kjbench-run: run a command inside the benchmark guest and report its
 * wall time and anonymous memory peak on one line:
 *
 *   BENCH label=LABEL ms=12.3 anon_peak_kb=456 rc=0
 *
 * `kjbench-run tsc LABEL` prints "BENCH-TSC label=LABEL tsc=N": the time
 * stamp counter, which survives the kexec (bench.py subtracts the first
 * kernel's last stamp from the second kernel's first). Under QEMU's
 * -icount it counts guest instructions, so the difference is the exec's
 * cost in guest work, whatever else the host is doing.
 *
 * The kernel keeps no anonymous high-water mark, so the child's RssAnon
 * is sampled from /proc/PID/status every 200 us; a load that lasts
 * milliseconds is sampled tens to thousands of times. Static, no deps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_anon_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssAnon: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static unsigned long long tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#else
	return 0;
#endif
}

int main(int argc, char **argv)
{
	long peak = 0, kb;
	double start, end;
	int status = 0;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "tsc")) {
		printf("BENCH-TSC label=%s tsc=%llu\n", argv[2], tsc());
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: kjbench-run LABEL COMMAND [ARG...]\n");
		return 2;
	}
	start = now_ms();
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			break;
		kb = rss_anon_kb(pid);
		if (kb > peak)
			peak = kb;
		usleep(200);
	}
	end = now_ms();
	printf("BENCH label=%s ms=%.2f anon_peak_kb=%ld rc=%d\n", argv[1],
	       end - start, peak,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return 0;
}

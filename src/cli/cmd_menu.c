/* `kjump menu`: the boot loader's front end. Scan every disk (and keep
 * watching for new ones), show one menu on the console, count down to the
 * default, boot what the user picks. A failed boot shows its error and
 * comes back to the menu: the console is never left dead.
 *
 * The pieces live in boot/: menu_model (selection, countdown), menu_keys
 * and menu_term (input), menu_draw (output), menu_edit (the command-line
 * editor), menu_conf (/etc/kjump.conf), blockwatch (new disks), oneshot
 * and efivar (the one-shot next boot, LoaderEntryDefault). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boot/blockwatch.h"
#include "boot/efivar.h"
#include "boot/menu_conf.h"
#include "boot/menu_draw.h"
#include "boot/menu_edit.h"
#include "boot/menu_model.h"
#include "boot/menu_term.h"
#include "boot/oneshot.h"
#include "boot/scan.h"
#include "cli/cli.h"
#include "core/cmdline.h"
#include "core/safe_text.h"

#define CONF_PATH "/etc/kjump.conf"
#define DEFAULT_WAIT_S 5
#define DEFAULT_TIMEOUT_S 10
#define WATCH_FAST_MS 250  /* while --wait runs */
#define WATCH_SLOW_MS 1000 /* afterwards */

struct menu {
	const struct kj_cli *cli;
	struct kj_menu_conf conf;
	struct kj_warnings conf_warn;
	struct kj_cli_rule extra[KJ_CONF_MAX_RULES];
	size_t n_extra;
	struct kj_scan scan; /* all zero (no entries) when not scanned */
	bool scanned;
	struct kj_menu_model model;
	struct kj_menu_screen screen;
	struct kj_term term;
	const char *want_default;
	char *efi_default;
	long long wait_until;
	bool once_pending; /* the one-shot's state device is not there yet */
	uint64_t fingerprint;
	char error[KJ_ERR_MSG_MAX];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool watching(const struct menu *mu)
{
	return mu->cli->n_roots == 0;
}

static void set_error(struct menu *mu, const char *msg)
{
	snprintf(mu->error, sizeof(mu->error), "%s", msg);
}

static void do_scan(struct menu *mu)
{
	struct kj_err err = { 0 };

	if (mu->scanned)
		kj_scan_free(&mu->scan);
	mu->scanned = false;
	mu->fingerprint = kj_blockwatch_fingerprint();
	if (kj_scan(&mu->scan, mu->cli->roots, mu->cli->n_roots, &err) < 0) {
		memset(&mu->scan, 0, sizeof(mu->scan));
		set_error(mu, err.msg);
		return;
	}
	mu->scanned = true;
}

/* An entry by id or title (or index); also "ID.conf", as some tools
 * write Boot Loader Spec ids with the file's suffix. */
static long find_entry(const struct kj_scan *scan, const char *what)
{
	char buf[KJ_ONESHOT_MAX + 1];
	size_t n = strlen(what);
	long i = kj_scan_find(scan, what);

	if (i >= 0 || n < 6 || n > KJ_ONESHOT_MAX ||
	    strcmp(what + n - 5, ".conf"))
		return i;
	memcpy(buf, what, n - 5);
	buf[n - 5] = '\0';
	return kj_scan_find(scan, buf);
}

/* The default: the one asked for by name once it is found; while disks
 * may still appear (final false) none, so the countdown holds; then the
 * configs' own default. */
static long pick_default(const struct menu *mu, bool final)
{
	if (mu->want_default) {
		long i = find_entry(&mu->scan, mu->want_default);

		if (i >= 0 &&
		    mu->scan.entries.v[i].type != KJ_ENTRY_UNSUPPORTED)
			return i;
		if (!final)
			return -1;
	}
	return kj_scan_default(&mu->scan);
}

static void redraw(struct menu *mu)
{
	kj_menu_draw(&mu->screen, &mu->scan, &mu->conf_warn, &mu->model,
		     mu->error);
}

/* Rescan, keeping the highlight on the same entry when it is still
 * there. */
static void rescan(struct menu *mu)
{
	char *root = NULL, *id = NULL;
	long sel = mu->model.sel, keep = -1;

	if (sel >= 0 && (size_t)sel < mu->scan.entries.n) {
		const struct kj_entry *e = &mu->scan.entries.v[sel];

		root = e->root_name ? strdup(e->root_name) : NULL;
		id = e->id ? strdup(e->id) : NULL;
	}
	do_scan(mu);
	for (size_t i = 0; root && id && i < mu->scan.entries.n; i++) {
		const struct kj_entry *e = &mu->scan.entries.v[i];

		if (e->root_name && e->id && !strcmp(e->root_name, root) &&
		    !strcmp(e->id, id)) {
			keep = (long)i;
			break;
		}
	}
	free(root);
	free(id);
	kj_menu_model_reset(&mu->model, mu->scan.entries.n,
			    pick_default(mu, now_ms() >= mu->wait_until),
			    mu->model.counting ? -1 : keep);
	redraw(mu);
}

/* Load and start entry idx with cmdline (NULL: its rewritten line).
 * Returns only when that failed, with the menu drawn again. */
static void boot_entry(struct menu *mu, long idx, const char *cmdline)
{
	struct kj_cmdline cl = { 0 };
	struct kj_err err = { 0 };
	const struct kj_entry *e = &mu->scan.entries.v[idx];
	char *title;

	kj_menu_draw_newline(&mu->screen);
	if (!cmdline) {
		if (kj_boot_entry_cmdline(mu->cli, &mu->scan, idx, mu->extra,
					  mu->n_extra, &cl, &err) < 0)
			goto fail;
		cmdline = cl.text;
	}
	fputs("Loading ", stdout);
	kj_safe_fputs(stdout, e->title ? e->title : e->id);
	fputs("...\n", stdout);
	fflush(stdout);
	if (kj_boot_load_entry(mu->cli, &mu->scan, idx, cmdline, &err))
		goto fail;
	kj_cmdline_free(&cl);
	/* A copy: the scan, which owns the entry, is freed before the
	 * "Booting TITLE..." line (printed escaped). */
	title = strdup(e->title ? e->title : e->id ? e->id : "entry");
	kj_term_close(&mu->term);
	/* The scan is freed (unmounted) here, whatever happens. */
	kj_boot_exec_loaded(mu->cli, &mu->scan, title ? title : "entry", &err);
	free(title);
	memset(&mu->scan, 0, sizeof(mu->scan));
	mu->scanned = false;
	kj_term_open(&mu->term, STDIN_FILENO, mu->screen.ansi);
fail:
	kj_cmdline_free(&cl);
	fputs("kjump: ", stdout);
	kj_safe_fputs(stdout, err.msg);
	putchar('\n');
	set_error(mu, err.msg);
	if (!mu->scanned)
		do_scan(mu);
	kj_menu_model_reset(&mu->model, mu->scan.entries.n,
			    pick_default(mu, true), idx);
	redraw(mu);
}

static void edit_entry(struct menu *mu, long idx)
{
	static struct kj_edit ed; /* 4 KiB: not on the stack */
	struct kj_cmdline cl = { 0 };
	struct kj_err err = { 0 };

	if (kj_boot_entry_cmdline(mu->cli, &mu->scan, idx, mu->extra,
				  mu->n_extra, &cl, &err) < 0) {
		set_error(mu, err.msg);
		redraw(mu);
		return;
	}
	kj_edit_init(&ed, cl.text);
	kj_cmdline_free(&cl);
	kj_menu_draw_newline(&mu->screen);
	printf("Command line of %d: Enter boots, Esc cancels\n", (int)idx + 1);
	kj_menu_draw_edit(&mu->screen, &ed);
	for (;;) {
		int key = kj_term_key(&mu->term, -1);
		enum kj_edit_result r;

		if (key == KJ_KEY_NONE && mu->term.eof)
			key = KJ_KEY_ESC;
		if (key == KJ_KEY_NONE)
			continue;
		r = kj_edit_key(&ed, key);
		if (r == KJ_EDIT_CONTINUE) {
			kj_menu_draw_edit(&mu->screen, &ed);
			continue;
		}
		kj_menu_draw_newline(&mu->screen);
		if (r == KJ_EDIT_ACCEPT)
			boot_entry(mu, idx, ed.text);
		else
			redraw(mu);
		return;
	}
}

/* A shell on the console until it exits; then a fresh scan, as the user
 * may have plugged in or fixed something. */
static void run_shell(struct menu *mu)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	pid_t pid;

	kj_menu_draw_newline(&mu->screen);
	if (access("/bin/sh", X_OK) < 0) {
		set_error(mu, "no shell here (/bin/sh)");
		redraw(mu);
		return;
	}
	kj_term_close(&mu->term);
	/* Unmount what the scan mounted: the shell's user may want those
	 * disks (kjump boot --once writes to one). */
	if (mu->scanned)
		kj_scan_free(&mu->scan);
	memset(&mu->scan, 0, sizeof(mu->scan));
	mu->scanned = false;
	printf("Starting /bin/sh; exit it to come back to the menu.\n");
	fflush(stdout);
	/* Like system(): Ctrl-C in the shell must not end the menu. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execl("/bin/sh", "sh", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	kj_term_open(&mu->term, STDIN_FILENO, mu->screen.ansi);
	mu->error[0] = '\0';
	rescan(mu);
}

/* The one-shot record: taken (deleted) first, then its entry is booted,
 * waiting up to --wait for its disk. Any failure falls back to the
 * menu. */
static void boot_once(struct menu *mu)
{
	const char *state = mu->cli->state ? mu->cli->state : mu->conf.state;
	struct kj_err err = { 0 };
	char *once = NULL;
	char msg[KJ_ERR_MSG_MAX];
	int r;

	/* The state file may be on a disk the scan mounted read-only. */
	if (mu->scanned)
		kj_scan_free(&mu->scan);
	memset(&mu->scan, 0, sizeof(mu->scan));
	mu->scanned = false;
	r = kj_oneshot_take(state, &once, &err);
	mu->once_pending = r == 1 && watching(mu) && now_ms() < mu->wait_until;
	if (r < 0) {
		snprintf(msg, sizeof(msg), "one-shot record: %.400s", err.msg);
		set_error(mu, msg);
		return;
	}
	if (!once)
		return;
	fputs("One-shot boot: ", stdout);
	kj_safe_fputs(stdout, once);
	putchar('\n');
	fflush(stdout);
	for (;;) {
		long idx;

		do_scan(mu);
		idx = find_entry(&mu->scan, once);
		if (idx >= 0) {
			boot_entry(mu, idx, NULL);
			break;
		}
		if (!watching(mu) || now_ms() >= mu->wait_until) {
			snprintf(msg, sizeof(msg),
				 "one-shot entry '%.200s' not found", once);
			set_error(mu, msg);
			break;
		}
		while (now_ms() < mu->wait_until &&
		       kj_blockwatch_fingerprint() == mu->fingerprint)
			poll(NULL, 0, WATCH_FAST_MS);
	}
	free(once);
}

static long timeout_ms(const struct menu *mu)
{
	if (mu->cli->timeout_s >= 0)
		return mu->cli->timeout_s * 1000;
	if (mu->conf.timeout >= 0)
		return mu->conf.timeout * 1000;
	if (mu->scan.timeout_tenths >= 0)
		return mu->scan.timeout_tenths * 100L;
	return DEFAULT_TIMEOUT_S * 1000;
}

static void setup(struct menu *mu, const struct kj_cli *cli, struct kj_err *err)
{
	long wait_s;
	int r;

	memset(mu, 0, sizeof(*mu));
	mu->cli = cli;
	r = kj_menu_conf_load(&mu->conf, cli->config ? cli->config : CONF_PATH,
			      &mu->conf_warn, err);
	if (r < 0)
		set_error(mu, err->msg);
	for (size_t i = 0; i < mu->conf.n_rules; i++) {
		mu->extra[i].set = mu->conf.rules[i].set;
		mu->extra[i].arg = mu->conf.rules[i].arg;
	}
	mu->n_extra = mu->conf.n_rules;
	wait_s = cli->wait_s >= 0     ? cli->wait_s
		 : mu->conf.wait >= 0 ? mu->conf.wait
				      : DEFAULT_WAIT_S;
	mu->wait_until = now_ms() + wait_s * 1000;
	mu->want_default =
		cli->menu_default ? cli->menu_default : mu->conf.default_entry;
	if (!mu->want_default && kj_efivars_available() &&
	    kj_efivar_get("LoaderEntryDefault", &mu->efi_default, err) == 0)
		mu->want_default = mu->efi_default;
	kj_err_clear(err);
	kj_term_open(&mu->term, STDIN_FILENO, isatty(STDOUT_FILENO));
	mu->screen.out = stdout;
	mu->screen.ansi = mu->term.ansi;
}

static void teardown(struct menu *mu)
{
	kj_menu_draw_newline(&mu->screen);
	kj_term_close(&mu->term);
	if (mu->scanned)
		kj_scan_free(&mu->scan);
	kj_menu_conf_free(&mu->conf);
	kj_warnings_free(&mu->conf_warn);
	free(mu->efi_default);
}

/* One pass of the loop: the countdown, a key or a device change. */
static bool step(struct menu *mu, long *last_secs)
{
	long long now = now_ms();
	bool final = now >= mu->wait_until;
	long target, secs, wait;
	enum kj_menu_action a;
	int key;

	if (mu->model.counting) {
		long def = pick_default(mu, final);

		if (def != mu->model.def) {
			kj_menu_model_reset(&mu->model, mu->scan.entries.n, def,
					    -1);
			*last_secs = -2;
		}
	}
	if (kj_menu_model_tick(&mu->model, now, &target) == KJ_MENU_BOOT) {
		boot_entry(mu, target, NULL);
		return true;
	}
	secs = kj_menu_model_seconds_left(&mu->model, now);
	if (secs != *last_secs) {
		kj_menu_draw_status(&mu->screen, &mu->scan, &mu->model, secs);
		*last_secs = secs;
	}
	wait = kj_menu_model_next_tick(&mu->model, now);
	if (watching(mu)) {
		long every = final ? WATCH_SLOW_MS : WATCH_FAST_MS;

		if (wait < 0 || wait > every)
			wait = every;
	}
	key = kj_term_key(&mu->term, wait);
	if (key == KJ_KEY_NONE) {
		if (watching(mu) &&
		    kj_blockwatch_fingerprint() != mu->fingerprint) {
			/* The disk with the one-shot record may be the one
			 * that just appeared (the boot medium, on USB). */
			if (mu->once_pending && now_ms() < mu->wait_until &&
			    mu->model.counting)
				boot_once(mu);
			rescan(mu);
			*last_secs = -2;
		}
		return true;
	}
	a = kj_menu_model_key(&mu->model, key, &target);
	*last_secs = -2; /* the status line changes with any key */
	switch (a) {
	case KJ_MENU_NONE:
	case KJ_MENU_REDRAW:
		if (mu->screen.ansi)
			redraw(mu);
		break;
	case KJ_MENU_BOOT:
		boot_entry(mu, target, NULL);
		break;
	case KJ_MENU_EDIT:
		edit_entry(mu, target);
		break;
	case KJ_MENU_RESCAN:
		mu->error[0] = '\0';
		kj_menu_draw_newline(&mu->screen);
		rescan(mu);
		break;
	case KJ_MENU_SHELL:
		run_shell(mu);
		break;
	case KJ_MENU_QUIT:
		return false;
	}
	return true;
}

int kj_cmd_menu(const struct kj_cli *cli, struct kj_err *err)
{
	static struct menu mu; /* the scan is large */
	long last_secs = -2;

	setup(&mu, cli, err);
	printf("kjump: looking for boot entries...\n");
	fflush(stdout);
	boot_once(&mu);
	if (cli->shell)
		run_shell(&mu);
	if (!mu.scanned)
		do_scan(&mu);
	kj_menu_model_init(&mu.model, mu.scan.entries.n,
			   pick_default(&mu, now_ms() >= mu.wait_until),
			   timeout_ms(&mu), now_ms());
	redraw(&mu);
	while (step(&mu, &last_secs))
		;
	teardown(&mu);
	return 0;
}

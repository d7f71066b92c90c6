/* `kjump list [ROOT...] [--json]`: every boot entry the configs on the
 * roots describe. Warnings about broken configs go to stderr. */
#include <stdio.h>
#include <string.h>

#include "boot/scan.h"
#include "cli/cli.h"
#include "core/json.h"
#include "core/safe_text.h"

static void print_json_entry(const struct kj_entry *e)
{
	printf("{\"id\":");
	kj_json_string(stdout, e->id);
	printf(",\"title\":");
	kj_json_string(stdout, e->title);
	printf(",\"type\":\"%s\",\"kernel\":", kj_entry_type_name(e->type));
	kj_json_string(stdout, e->kernel);
	printf(",\"initrd\":[");
	for (size_t i = 0; i < e->n_initrd; i++) {
		if (i)
			putchar(',');
		kj_json_string(stdout, e->initrd[i]);
	}
	printf("],\"cmdline\":");
	kj_json_string(stdout, e->cmdline);
	printf(",\"devicetree\":");
	kj_json_string(stdout, e->devicetree);
	printf(",\"modules\":[");
	for (size_t i = 0; i < e->n_modules; i++) {
		printf("%s{\"path\":", i ? "," : "");
		kj_json_string(stdout, e->modules[i].path);
		printf(",\"cmdline\":");
		kj_json_string(stdout, e->modules[i].cmdline);
		putchar('}');
	}
	printf("],\"default\":%s,\"source\":\"%s\",\"root\":",
	       e->is_default ? "true" : "false",
	       kj_entry_source_name(e->source));
	kj_json_string(stdout, e->root_name);
	printf(",\"config\":");
	/* "path:line" — escape the path part like any string. */
	{
		char buf[4200];

		snprintf(buf, sizeof(buf), "%s:%u", e->config ? e->config : "",
			 e->config_line);
		kj_json_string(stdout, buf);
	}
	printf("}");
}

/* One table cell of width columns: s escaped (it comes from a disk),
 * cut with '~' when longer. */
static void print_cell(const char *s, size_t width)
{
	size_t cols;

	if (!s)
		s = "-";
	if (kj_safe_width(s) > width) {
		kj_safe_write(stdout, s, strlen(s), width - 1, &cols);
		printf("%*s~ ", (int)(width - 1 - cols), "");
	} else {
		kj_safe_write(stdout, s, strlen(s), width, &cols);
		printf("%*s ", (int)(width - cols), "");
	}
}

static void print_table(const struct kj_scan *scan)
{
	long def = kj_scan_default(scan);

	printf("%3s %1s %-34s %-30s %-8s %s\n", "#", "", "TITLE", "KERNEL",
	       "SOURCE", "ROOT");
	for (size_t i = 0; i < scan->entries.n; i++) {
		const struct kj_entry *e = &scan->entries.v[i];

		printf("%3zu %1s ", i, (long)i == def ? "*" : "");
		print_cell(e->title, 34);
		if (e->type == KJ_ENTRY_UNSUPPORTED)
			print_cell(e->unsupported ? e->unsupported :
						    "unsupported",
				   30);
		else
			print_cell(e->kernel, 30);
		printf("%-8s ", kj_entry_source_name(e->source));
		kj_safe_fputs(stdout, e->root_name);
		putchar('\n');
	}
}

int kj_cmd_list(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_scan scan;

	if (kj_boot_scan(cli, &scan, err))
		return 1;
	if (cli->req.json) {
		putchar('[');
		for (size_t i = 0; i < scan.entries.n; i++) {
			if (i)
				putchar(',');
			print_json_entry(&scan.entries.v[i]);
		}
		printf("]\n");
	} else if (scan.entries.n == 0) {
		printf("no boot entries found\n");
	} else {
		print_table(&scan);
	}
	kj_scan_free(&scan);
	return 0;
}

/* `kjump status`: exit 0 when a kernel is loaded, 1 when not. `kexec -S`
 * answers as kexec-tools does: exit 1 when the kernel of the chosen type
 * is loaded, 0 when not (the parser chose the type: crash by default). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/json.h"
#include "sys/crash_record.h"
#include "sys/status.h"

int kj_cmd_status(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_kexec_status st;
	char *reload;
	bool loaded;

	if (kj_kexec_status_read(&st, err) < 0)
		return cli->kexec_mode ? 255 : 2; /* kexec-tools: -1 */
	loaded = cli->req.panic ? st.crash_loaded : st.loaded;
	if (cli->kexec_mode)
		return loaded ? 1 : 0;
	if (cli->req.json) {
		printf("{\"kexec_loaded\":%s,\"kexec_crash_loaded\":%s,"
		       "\"kexec_crash_size\":%ld,\"kexec_load_disabled\":%s,"
		       "\"lockdown\":",
		       st.loaded ? "true" : "false",
		       st.crash_loaded ? "true" : "false", st.crash_size,
		       st.load_disabled ? "true" : "false");
		kj_json_string(stdout, st.lockdown);
		/* How the crash kernel now loaded was loaded, if by kjump. */
		reload = st.crash_loaded ? kj_crash_record_get() : NULL;
		printf(",\"crash_reload\":");
		kj_json_string(stdout, reload);
		free(reload);
		printf("}\n");
	} else {
		printf("kexec_loaded         %d\n", st.loaded);
		printf("kexec_crash_loaded   %d\n", st.crash_loaded);
		printf("kexec_crash_size     %ld\n", st.crash_size);
		printf("kexec_load_disabled  %d\n", st.load_disabled);
		printf("lockdown             %s\n",
		       st.lockdown ? st.lockdown : "unknown");
	}
	return loaded ? 0 : 1;
}

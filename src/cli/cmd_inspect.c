/* `kjump inspect FILE`: what a file is and what its headers say. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/json.h"
#include "image/image.h"
#include "image/unpack.h"
#include "loaders/elf_segments.h"
#include "loaders/multiboot1.h"
#include "loaders/bzimage.h"

static const char *yes_no(int v)
{
	return v ? "yes" : "no";
}

static void print_bzimage_text(const char *path, const struct kj_bzimage *bz)
{
	printf("file                %s\n", path);
	printf("format              bzImage\n");
	printf("kernel_version      %s\n",
	       bz->kernel_version[0] ? bz->kernel_version : "(none)");
	printf("version             %u.%02u\n", bz->version >> 8,
	       bz->version & 0xff);
	printf("setup_sects         %u (%zu bytes of setup)\n", bz->setup_sects,
	       bz->setup_size);
	printf("syssize             0x%x (%zu bytes of kernel, file %zu)\n",
	       bz->syssize, bz->kernel_size, bz->file_size);
	printf("loadflags           0x%02x (LOADED_HIGH %s)\n", bz->loadflags,
	       yes_no(bz->loadflags & KJ_LOADED_HIGH));
	printf("xloadflags          0x%04x (KERNEL_64 %s, ABOVE_4G %s, "
	       "EFI_KEXEC %s)\n",
	       bz->xloadflags, yes_no(bz->xloadflags & KJ_XLF_KERNEL_64),
	       yes_no(bz->xloadflags & KJ_XLF_CAN_BE_LOADED_ABOVE_4G),
	       yes_no(bz->xloadflags & KJ_XLF_EFI_KEXEC));
	printf("relocatable_kernel  %s\n", yes_no(bz->relocatable_kernel));
	printf("pref_address        0x%llx\n",
	       (unsigned long long)bz->pref_address);
	printf("kernel_alignment    0x%x\n", bz->kernel_alignment);
	printf("init_size           0x%x (%u KiB)\n", bz->init_size,
	       bz->init_size / 1024);
	printf("initrd_addr_max     0x%x\n", bz->initrd_addr_max);
	printf("cmdline_size        %u\n", bz->cmdline_size);
	printf("code32_start        0x%x\n", bz->code32_start);
	printf("handover_offset     0x%x\n", bz->handover_offset);
}

static void print_bzimage_json(const char *path, const struct kj_bzimage *bz)
{
	printf("{\"file\":");
	kj_json_string(stdout, path);
	printf(",\"format\":\"bzImage\",\"kernel_version\":");
	kj_json_string(stdout, bz->kernel_version);
	printf(",\"version\":\"%u.%02u\",\"setup_sects\":%u,\"root_flags\":%u,"
	       "\"syssize\":%u,\"vid_mode\":%u,\"boot_flag\":%u,"
	       "\"header\":%u,\"type_of_loader\":%u,\"loadflags\":%u,"
	       "\"code32_start\":%u,\"initrd_addr_max\":%u,"
	       "\"kernel_alignment\":%u,\"relocatable_kernel\":%u,"
	       "\"min_alignment\":%u,\"xloadflags\":%u,\"cmdline_size\":%u,"
	       "\"hardware_subarch\":%u,\"payload_offset\":%u,"
	       "\"payload_length\":%u,\"pref_address\":%llu,\"init_size\":%u,"
	       "\"handover_offset\":%u,\"kernel_info_offset\":%u,"
	       "\"file_size\":%zu}\n",
	       bz->version >> 8, bz->version & 0xff, bz->setup_sects,
	       bz->root_flags, bz->syssize, bz->vid_mode, bz->boot_flag,
	       bz->header, bz->type_of_loader, bz->loadflags, bz->code32_start,
	       bz->initrd_addr_max, bz->kernel_alignment,
	       bz->relocatable_kernel, bz->min_alignment, bz->xloadflags,
	       bz->cmdline_size, bz->hardware_subarch, bz->payload_offset,
	       bz->payload_length, (unsigned long long)bz->pref_address,
	       bz->init_size, bz->handover_offset, bz->kernel_info_offset,
	       bz->file_size);
}

static void print_multiboot(const char *path, const char *comp, size_t size,
			    const struct kj_mb1 *mb, bool json)
{
	if (json) {
		printf("{\"file\":");
		kj_json_string(stdout, path);
		printf(",\"format\":\"multiboot\",\"compression\":");
		if (comp)
			kj_json_string(stdout, comp);
		else
			printf("null");
		printf(",\"size\":%zu,\"header_offset\":%zu,"
		       "\"header_flags\":%u,\"layout\":\"%s\","
		       "\"entry\":%u,\"load_start\":%llu,\"load_end\":%llu}\n",
		       size, mb->header_offset, mb->flags,
		       mb->aout		    ? "a.out"
		       : mb->elf_bits == 64 ? "elf64"
					    : "elf32",
		       mb->entry, (unsigned long long)mb->lowest,
		       (unsigned long long)mb->end);
		return;
	}
	printf("file                %s\n", path);
	printf("format              Multiboot 1\n");
	if (comp)
		printf("compression         %s (%zu bytes unpacked)\n", comp,
		       size);
	printf("header              offset 0x%zx, flags 0x%08x\n",
	       mb->header_offset, mb->flags);
	printf("layout              %s\n",
	       mb->aout		    ? "a.out kludge"
	       : mb->elf_bits == 64 ? "ELF64 (entered in 32-bit mode)"
				    : "ELF32");
	printf("load                0x%llx-0x%llx\n",
	       (unsigned long long)mb->lowest, (unsigned long long)mb->end - 1);
	printf("entry               0x%x\n", mb->entry);
}

static void print_elf(const char *path, const char *comp, size_t size,
		      const struct kj_elf_info *e, bool json)
{
	if (json) {
		printf("{\"file\":");
		kj_json_string(stdout, path);
		printf(",\"format\":\"ELF\",\"compression\":");
		if (comp)
			kj_json_string(stdout, comp);
		else
			printf("null");
		printf(",\"size\":%zu,\"class\":%u,\"machine\":%u,"
		       "\"entry\":%llu,\"segments\":%zu}\n",
		       size, e->bits, e->machine, (unsigned long long)e->entry,
		       e->nchunk);
		return;
	}
	printf("file                %s\n", path);
	printf("format              ELF%u, machine %u\n", e->bits, e->machine);
	if (comp)
		printf("compression         %s (%zu bytes unpacked)\n", comp,
		       size);
	printf("entry               0x%llx (physical)\n",
	       (unsigned long long)e->entry);
	for (size_t i = 0; i < e->nchunk; i++)
		printf("segment             0x%llx-0x%llx (%llu bytes from "
		       "file)\n",
		       (unsigned long long)e->chunk[i].paddr,
		       (unsigned long long)(e->chunk[i].paddr +
					    e->chunk[i].memsz - 1),
		       (unsigned long long)e->chunk[i].filesz);
}

int kj_cmd_inspect(const struct kj_cli *cli, struct kj_err *err)
{
	struct kj_image img;
	struct kj_unpacked u;
	struct kj_bzimage bz;
	struct kj_mb1 *mb = NULL;
	struct kj_elf_info *elf = NULL;
	enum kj_format fmt;
	int rc = 1;

	if (kj_image_open(&img, cli->file, err) < 0)
		return 1;
	/* Look inside compressed files: a gzip'd Xen is still Multiboot. */
	if (kj_unpack(img.data, img.size, cli->file, true, 0, &u, err) < 0) {
		kj_image_close(&img);
		return 1;
	}
	fmt = kj_format_detect(u.data, u.size);
	if (fmt == KJ_FORMAT_BZIMAGE) {
		if (kj_bzimage_parse(u.data, u.size, cli->file, &bz, err) ==
		    0) {
			if (cli->req.json)
				print_bzimage_json(cli->file, &bz);
			else
				print_bzimage_text(cli->file, &bz);
			rc = 0;
		}
	} else if (fmt == KJ_FORMAT_MULTIBOOT1) {
		mb = malloc(sizeof(*mb));
		if (!mb)
			kj_fail(err, ENOMEM, "out of memory");
		else if (kj_mb1_parse(u.data, u.size, cli->file, mb, err) ==
			 0) {
			print_multiboot(cli->file, u.compression, u.size, mb,
					cli->req.json);
			rc = 0;
		}
	} else if (fmt == KJ_FORMAT_ELF) {
		elf = malloc(sizeof(*elf));
		if (!elf)
			kj_fail(err, ENOMEM, "out of memory");
		else if (kj_elf_parse(u.data, u.size, cli->file, elf, err) ==
			 0) {
			print_elf(cli->file, u.compression, u.size, elf,
				  cli->req.json);
			rc = 0;
		}
	} else if (fmt == KJ_FORMAT_UNKNOWN) {
		kj_fail(err, ENOEXEC, "%s: unrecognised format (%zu bytes%s%s)",
			cli->file, u.size,
			u.compression ? " unpacked from " : "",
			u.compression ? u.compression : "");
	} else if (cli->req.json) {
		printf("{\"file\":");
		kj_json_string(stdout, cli->file);
		printf(",\"format\":\"%s\",\"file_size\":%zu}\n",
		       kj_format_name(fmt), img.size);
		rc = 0;
	} else {
		printf("file                %s\nformat              %s\n",
		       cli->file, kj_format_name(fmt));
		rc = 0;
	}
	free(mb);
	free(elf);
	kj_unpacked_free(&u);
	kj_image_close(&img);
	return rc;
}

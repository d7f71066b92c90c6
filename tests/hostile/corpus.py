#!/usr/bin/python3
"""Generate the hostile-input corpus for tests/hostile/run.py.

Every case is made here from a real Debian kernel (passed in) and from
scratch: nothing third-party is committed. Cases:
  images/   truncations of the bzImage at every setup-header field, bit
            flips and lying values in those fields, Multiboot and ELF
            variants, compressed truncations and bombs;
  special/  a FIFO, a directory, a device, a sparse huge file;
  maps/     sysroots with hostile memory maps (overlaps, nesting, > 1000
            entries, values past 2^64, garbage, a FIFO /proc/iomem, a gap
            in /sys/firmware/memmap).
"""
import gzip
import lzma
import os
import shutil
import struct
import subprocess
import sys

# (offset, width) of the setup header fields (Linux boot protocol).
FIELDS = [(0x1f1, 1), (0x1f2, 2), (0x1f4, 4), (0x1fa, 2), (0x1fe, 2),
          (0x200, 2), (0x202, 4), (0x206, 2), (0x20e, 2), (0x210, 1),
          (0x211, 1), (0x214, 4), (0x22c, 4), (0x230, 4), (0x234, 1),
          (0x235, 1), (0x236, 2), (0x238, 4), (0x23c, 4), (0x248, 4),
          (0x24c, 4), (0x258, 8), (0x260, 4), (0x264, 4), (0x268, 4)]

# Values a lying header might carry, per width.
LIES = {1: [0, 0xff, 0x80], 2: [0, 0xffff, 0x0100, 0x8000],
        4: [0, 0xffffffff, 0x80000000, 0x7fffffff, 1],
        8: [0, 0xffffffffffffffff, 0xfffff000]}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def bzimage_cases(out, kernel):
    k = open(kernel, "rb").read()
    setup = ((k[0x1f1] or 4) + 1) * 512
    for off, width in FIELDS:
        write(f"{out}/bz-trunc-{off:03x}", k[:off + width - 1])
        for v in LIES[width]:
            d = bytearray(k[:setup + 65536])
            d[off:off + width] = v.to_bytes(width, "little")
            write(f"{out}/bz-lie-{off:03x}-{v:x}", d)
        for bit in range(width * 8):
            d = bytearray(k[:setup + 65536])
            d[off + bit // 8] ^= 1 << (bit % 8)
            write(f"{out}/bz-flip-{off:03x}-{bit}", d)
    for cut in (setup - 1, setup, setup + 1, len(k) // 2, len(k) - 17):
        write(f"{out}/bz-cut-{cut:x}", k[:cut])
    gz = gzip.compress(k, compresslevel=1, mtime=0)
    write(f"{out}/gz-trunc-half", gz[:len(gz) // 2])
    write(f"{out}/gz-trunc-header", gz[:9])
    write(f"{out}/gz-of-truncated-bz", gzip.compress(k[:setup + 100],
                                                       mtime=0))
    xz = lzma.compress(k[:200000])
    write(f"{out}/xz-trunc", xz[:len(xz) // 3])
    write(f"{out}/xz-garbage", xz[:12] + b"\xff" * 4000)


def bombs(out):
    # Past kjump's 512 MiB unpack limit: refused, and quickly.
    with gzip.open(f"{out}/gz-bomb", "wb", compresslevel=9) as f:
        chunk = bytes(1 << 20)
        for _ in range(600):
            f.write(chunk)
    zst = shutil.which("zstd")
    if zst:
        subprocess.run(f"head -c 700M /dev/zero | {zst} -q -19 -o "
                       f"{out}/zst-bomb", shell=True, check=True)
    write(f"{out}/zst-garbage", b"\x28\xb5\x2f\xfd" + b"\x00" * 64)


def mb1_header(flags, extra=b""):
    magic = 0x1BADB002
    return struct.pack("<III", magic, flags,
                       (-(magic + flags)) & 0xffffffff) + extra


def multiboot_cases(out):
    aout = 1 << 16
    def img(hdr, at=0, size=0x4000):
        d = bytearray(size)
        d[at:at + len(hdr)] = hdr
        return d
    write(f"{out}/mb-badsum", img(struct.pack("<III", 0x1BADB002, 3, 0)))
    write(f"{out}/mb-past-8k", img(mb1_header(3), at=0x2000 + 16))
    write(f"{out}/mb-unknown-flag", img(mb1_header(aout | (1 << 9))))
    for name, fields in {
            "header-below-load": (0x100000, 0x100100, 0, 0, 0x100100),
            "load-end-past-file": (0x100000, 0x100000, 0x200000, 0,
                                   0x100000),
            "bss-below-end": (0x100000, 0x100000, 0x102000, 0x101000,
                              0x100000),
            "entry-outside": (0x100000, 0x100000, 0x102000, 0x103000,
                              0x200000),
            "above-4g": (0xfffff000, 0xfffff000, 0, 0xffffffff,
                         0xfffff000),
            "zero-everything": (0, 0, 0, 0, 0)}.items():
        write(f"{out}/mb-aout-{name}",
              img(mb1_header(aout | 3, struct.pack("<5I", *fields))))
    write(f"{out}/mb-aout-cut", mb1_header(aout | 3)[:16])


def elf(bits, machine, phdrs, entry, size=0x3000, phoff=None,
        phnum=None, etype=2):
    d = bytearray(size)
    d[0:4] = b"\x7fELF"
    d[4] = 1 if bits == 32 else 2
    d[5] = 1
    d[6] = 1
    if bits == 32:
        phoff = 52 if phoff is None else phoff
        struct.pack_into("<HHIIIIIHHHHHH", d, 16, etype, machine, 1, entry,
                         phoff, 0, 0, 52, 32,
                         len(phdrs) if phnum is None else phnum, 0, 0, 0)
        for i, (off, vaddr, paddr, filesz, memsz) in enumerate(phdrs):
            if phoff + 32 * (i + 1) <= size:
                struct.pack_into("<8I", d, phoff + 32 * i, 1, off, vaddr,
                                 paddr, filesz, memsz, 7, 0x1000)
    else:
        phoff = 64 if phoff is None else phoff
        struct.pack_into("<HHIQQQIHHHHHH", d, 16, etype, machine, 1, entry,
                         phoff, 0, 0, 64, 56,
                         len(phdrs) if phnum is None else phnum, 0, 0, 0)
        for i, (off, vaddr, paddr, filesz, memsz) in enumerate(phdrs):
            if phoff + 56 * (i + 1) <= size:
                struct.pack_into("<IIQQQQQQ", d, phoff + 56 * i, 1, 7, off,
                                 vaddr, paddr, filesz, memsz, 0x1000)
    return d


def elf_cases(out):
    ok = [(0x1000, 0x100000, 0x100000, 0x1000, 0x2000)]
    write(f"{out}/elf-phoff-past-end", elf(64, 62, ok, 0x100000,
                                           phoff=0x100000))
    write(f"{out}/elf-no-phdrs", elf(64, 62, [], 0x100000, phnum=0))
    write(f"{out}/elf-huge-phnum", elf(64, 62, ok, 0x100000, phnum=65535))
    write(f"{out}/elf-filesz-gt-memsz",
          elf(64, 62, [(0x1000, 0x100000, 0x100000, 0x2000, 0x1000)],
              0x100000))
    write(f"{out}/elf-segment-past-file",
          elf(64, 62, [(0x1000, 0x100000, 0x100000, 0x100000, 0x100000)],
              0x100000))
    write(f"{out}/elf-overlap",
          elf(64, 62, [(0x1000, 0x100000, 0x100000, 0x1000, 0x2000),
                       (0x2000, 0x101000, 0x101000, 0x1000, 0x1000)],
              0x100000))
    write(f"{out}/elf-entry-outside", elf(64, 62, ok, 0xdead0000))
    write(f"{out}/elf32-above-4g",
          elf(32, 3, [(0x1000, 0xfffff000, 0xfffff000, 0x1000, 0x2000)],
              0xfffff000))
    write(f"{out}/elf-wrong-machine", elf(64, 183, ok, 0x100000))
    write(f"{out}/elf-core-type", elf(64, 62, ok, 0x100000, etype=4))
    write(f"{out}/elf-wraps",
          elf(64, 62, [(0x1000, 0xfffffffffffff000, 0xfffffffffffff000,
                        0x1000, 0x3000)], 0xfffffffffffff000))
    write(f"{out}/elf-cut", elf(64, 62, ok, 0x100000)[:40])
    write(f"{out}/mb-elf-past-file",
          elf(32, 3, [(0x1000, 0x100000, 0x100000, 0x100000, 0x100000)],
              0x100000, size=0x3000)[:0x2000] + mb1_header(3))


def special_cases(out):
    os.makedirs(out, exist_ok=True)
    os.mkfifo(f"{out}/fifo")
    os.makedirs(f"{out}/directory")
    os.symlink("/dev/null", f"{out}/device")
    with open(f"{out}/sparse-huge", "wb") as f:
        f.truncate(64 << 30)
    write(f"{out}/empty", b"")


def iomem(root, text):
    write(f"{root}/proc/iomem", text.encode())


def map_cases(out):
    ram = "00001000-0009fbff : System RAM\n" \
          "00100000-3fffffff : System RAM\n"
    iomem(f"{out}/overlap-reserved",
          ram + "00800000-1fffffff : Reserved\n")
    iomem(f"{out}/nested-reserved",
          "00100000-3fffffff : System RAM\n"
          "  00800000-3ff00fff : Reserved\n"
          "    00900000-009fffff : ACPI Tables\n")
    iomem(f"{out}/everything-reserved",
          "00100000-3fffffff : System RAM\n"
          "  00100000-3fffffff : reserved\n")
    iomem(f"{out}/too-many",
          "".join("%08x-%08x : System RAM\n" % (0x100000 + i * 0x2000,
                                                 0x100fff + i * 0x2000)
                  for i in range(1100)))
    iomem(f"{out}/past-2-64",
          ram + "10000000000000000-1ffffffffffffffff : System RAM\n")
    iomem(f"{out}/garbage", ram + "this is not a memory map\n")
    iomem(f"{out}/control-bytes", ram + "00000000-00000fff : \x1b]0;x\x07\n")
    iomem(f"{out}/zeros", "00000000-00000000 : System RAM\n")
    os.makedirs(f"{out}/fifo/proc", exist_ok=True)
    os.mkfifo(f"{out}/fifo/proc/iomem")
    root = f"{out}/memmap-gap"
    iomem(root, ram)
    for i, (s, e, t) in enumerate([(0, 0x9fbff, "System RAM"),
                                   (0x100000, 0x3fffffff, "System RAM"),
                                   (0xfffc0000, 0xffffffff, "Reserved")]):
        if i == 1:
            i = 3  # entry 1 missing: a gap
        d = f"{root}/sys/firmware/memmap/{i}"
        write(f"{d}/start", b"0x%x\n" % s)
        write(f"{d}/end", b"0x%x\n" % e)
        write(f"{d}/type", t.encode() + b"\n")


def main():
    out, kernel = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    bzimage_cases(f"{out}/images", kernel)
    multiboot_cases(f"{out}/images")
    elf_cases(f"{out}/images")
    bombs(f"{out}/images")
    special_cases(f"{out}/special")
    map_cases(f"{out}/maps")
    n = sum(len(files) + len(dirs) for _, dirs, files in os.walk(out))
    print("corpus: %s" % out)


if __name__ == "__main__":
    main()

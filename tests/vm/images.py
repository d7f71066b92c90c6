"""Wrapped kernel images for the test suite, built from real parts.

UKIs: Debian's systemd-stub (systemd-boot-efi's linuxx64.efi.stub) with
sections added by objcopy, the manual way systemd-stub(7) documents
(Debian 12 has no ukify). objcopy orders the section table by address,
so each section gets an address above the previous one and the order
given is the order in the table; objcopy refuses a second section of
the same name, so repeated names (profiles) are added under a temporary
name and renamed.

EFI zboot: no Debian 12 package ships one (the arm64 and riscv64
kernels are built without CONFIG_EFI_ZBOOT; x86 cannot have it), so
make_zboot() wraps any payload following the header layout of Linux's
drivers/firmware/efi/libstub/zboot-header.S.
"""
import gzip
import lzma
import os
import struct
import subprocess

STUB = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub"

PE_MACHINE = {"x86_64": 0x8664, "arm64": 0xAA64, "riscv64": 0x5064}


def _pe_size_of_image(path):
    with open(path, "rb") as f:
        data = f.read(4096)
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    return struct.unpack_from("<I", data, pe + 24 + 56)[0]


def make_uki(out, sections, stub=STUB, workdir=None):
    """Write a UKI: `sections` is a list of (name, bytes) in table order,
    names may repeat (e.g. [(".linux", k), (".profile", b"ID=a"),
    (".cmdline", b"x"), ...])."""
    workdir = workdir or os.path.dirname(os.path.abspath(out))
    addr = (_pe_size_of_image(stub) + 0xFFFF) & ~0xFFFF
    args, renames, seen = [], [], set()
    for i, (name, data) in enumerate(sections):
        part = os.path.join(workdir, "uki-part-%d" % i)
        with open(part, "wb") as f:
            f.write(data)
        real = name
        if name in seen:
            name = ".kj%d" % i  # renamed below: objcopy refuses repeats
            renames.append((name, real))
        seen.add(real)
        args += ["--add-section", "%s=%s" % (name, part),
                 "--change-section-vma", "%s=0x%x" % (name, addr)]
        addr = (addr + len(data) + 0xFFFF) & ~0xFFFF
    tmp = out + ".tmp"
    subprocess.run(["objcopy"] + args + [stub, tmp], check=True)
    if renames:
        ren = []
        for a, b in renames:
            ren += ["--rename-section", "%s=%s" % (a, b)]
        subprocess.run(["objcopy"] + ren + [tmp, out], check=True)
        os.unlink(tmp)
    else:
        os.replace(tmp, out)
    return out


def compress(data, comp):
    """Compress as the kernel build does for EFI zboot: "gzip", "xzkern"
    (xz, CRC32 check), "zstd22", "lz4" (the last ones via their tools)."""
    if comp == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    if comp == "xzkern":
        return lzma.compress(data, format=lzma.FORMAT_XZ,
                             check=lzma.CHECK_CRC32)
    tool = {"zstd22": ["zstd", "-q", "-c", "-19"],
            "lz4": ["lz4", "-q", "-c", "-l", "-9"]}[comp]
    return subprocess.run(tool, input=data, capture_output=True,
                          check=True).stdout


def make_zboot(out, payload, comp="gzip", machine="arm64"):
    """Write an EFI zboot image of payload compressed with comp.

    Layout (zboot-header.S): "MZ\\0\\0", "zimg", payload offset, payload
    size (without the size word appended to non-gzip payloads), two
    reserved words, the compression name, at 0x38 the Linux PE magic and
    at 0x3c the PE header offset; a PE32+ header with .text and .data
    sections; the payload inside .data. There is no decompressor code:
    these images are for loaders that unpack the payload themselves."""
    z = compress(payload, comp)
    if comp != "gzip":
        z += struct.pack("<I", len(payload))
    pe_off, text_at, data_at = 0x40, 0x1000, 0x2000
    hdr = bytearray(data_at)
    hdr[0:8] = b"MZ\0\0zimg"
    struct.pack_into("<II", hdr, 8, data_at, len(z) -
                     (4 if comp != "gzip" else 0))
    hdr[0x18:0x18 + len(comp)] = comp.encode()
    struct.pack_into("<I", hdr, 0x38, 0x818223CD)
    struct.pack_into("<I", hdr, 0x3C, pe_off)
    opt = 0xF0
    hdr[pe_off:pe_off + 4] = b"PE\0\0"
    struct.pack_into("<HHIIIHH", hdr, pe_off + 4, PE_MACHINE[machine], 2,
                     0, 0, 0, opt, 0x206)
    o = pe_off + 24
    data_len = (len(z) + 0xFFF) & ~0xFFF
    struct.pack_into("<HBBIIIII", hdr, o, 0x20B, 0, 0, 0x1000, data_len, 0,
                     text_at, text_at)
    struct.pack_into("<QIIHHHHHHIIIIHH", hdr, o + 24, 0, 0x1000, 0x200,
                     0, 0, 1, 0, 0, 0, 0, data_at + data_len, text_at, 0,
                     10, 0x100)
    struct.pack_into("<I", hdr, o + 108, 16)  # NumberOfRvaAndSizes
    t = o + opt
    struct.pack_into("<8sIIIIIIHHI", hdr, t, b".text", 0x1000, text_at,
                     0x1000, text_at, 0, 0, 0, 0, 0x60000020)
    struct.pack_into("<8sIIIIIIHHI", hdr, t + 40, b".data", data_len,
                     data_at, data_len, data_at, 0, 0, 0, 0, 0xC0000040)
    with open(out, "wb") as f:
        f.write(bytes(hdr) + z + b"\0" * (data_len - len(z)))
    return out


def align4(data):
    return data + b"\0" * (-len(data) % 4)

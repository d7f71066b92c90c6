"""Parse the probe payload's report (see probe/README.md).

The probe prints records on its serial port, one a line:

    KJPROBE <record> key=value key=value ...

Values are hexadecimal (0x...), decimal, a bare word, or a double-quoted
string with \\\\, \\" and \\xNN escapes. Firmware output may precede a
record on the same line, so a record starts at the first "KJPROBE ".
"""

import re

PREFIX = "KJPROBE "
MAGIC_OK = 0x2BADB002   # Multiboot 1 loader magic in EAX
MAGIC2_OK = 0x36D76289  # Multiboot 2
QEMU_EXIT_OK = 33      # isa-debug-exit: (0x10 << 1) | 1
QEMU_EXIT_ERRORS = 35  # (0x11 << 1) | 1: the report has error records

_TOKEN = re.compile(r'\s*([A-Za-z0-9_]+)=("(?:[^"\\]|\\.)*"|\S*)')


def _unquote(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x" and i + 3 < len(s):
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
            out += n.encode("latin-1")
            i += 2
            continue
        out += c.encode("latin-1")
        i += 1
    # latin-1 maps each byte to one character: nothing is lost.
    return out.decode("latin-1")


def _value(raw):
    if raw.startswith('"'):
        return _unquote(raw[1:-1])
    if re.fullmatch(r"0x[0-9a-fA-F]+", raw):
        return int(raw, 16)
    if re.fullmatch(r"[0-9]+", raw):
        return int(raw)
    return raw


def parse_line(line):
    """(record, {key: value}) for one report line, or None."""
    at = line.find(PREFIX)
    if at < 0:
        return None
    rest = line[at + len(PREFIX):].rstrip("\r\n")
    name, _, rest = rest.partition(" ")
    if not name:
        return None
    fields = {}
    pos = 0
    while pos < len(rest):
        m = _TOKEN.match(rest, pos)
        if not m:
            raise ValueError("bad KJPROBE field in %r" % line)
        fields[m.group(1)] = _value(m.group(2))
        pos = m.end()
    return name, fields


class ProbeReport:
    """The records of one report (begin .. end) in a log. A log may hold
    several (the probe booted twice through kexec, or its self-test)."""

    def __init__(self, records, complete):
        self.records = records
        self.complete = complete

    def all(self, name):
        return [f for n, f in self.records if n == name]

    def first(self, name):
        found = self.all(name)
        return found[0] if found else None

    def __getitem__(self, name):
        found = self.first(name)
        if found is None:
            raise KeyError("probe report has no %r record" % name)
        return found

    def __contains__(self, name):
        return self.first(name) is not None

    @property
    def errors(self):
        return [f.get("what") for f in self.all("error")]

    @property
    def magic(self):
        return self["entry"]["magic"]

    @property
    def cmdline(self):
        rec = self.first("cmdline")
        return None if rec is None else rec["value"]

    @property
    def modules(self):
        return sorted(self.all("module"), key=lambda m: m["index"])

    @property
    def mmap(self):
        return self.all("mmap")

    def ram_bytes(self):
        """Total length of the type 1 (available RAM) mmap entries."""
        return sum(e["len"] for e in self.mmap if e["type"] == 1)

    # The arm64 probe's report (probe/README.md, "The arm64 probe").

    @property
    def arch(self):
        return self["begin"].get("arch", "x86")

    @property
    def initrd(self):
        """The arm64 initrd record (start, end, size, crc32) or None."""
        return self.first("initrd")

    @property
    def memory(self):
        """The arm64 memory node ranges, in order."""
        return sorted(self.all("memory"), key=lambda m: m["index"])

    def memory_bytes(self):
        return sum(m["size"] for m in self.memory)

    @property
    def tags(self):
        """Multiboot 2: the (type, size) of every boot information tag,
        in order, end tag included."""
        return [(t["type"], t["size"]) for t in self.all("tag")]

    @property
    def tag_types(self):
        return [t for t, _ in self.tags]

    @property
    def boot_loader_name(self):
        rec = self.first("boot_loader_name")
        return None if rec is None else rec["value"]


def parse_all(text):
    """Every report in serial output (str or bytes), in order; the last
    one may be incomplete (.complete False) if the output stopped."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    reports = []
    for line in text.splitlines():
        rec = parse_line(line)
        if rec is None:
            continue
        if rec[0] == "begin" or not reports or reports[-1].complete:
            reports.append(ProbeReport([], False))
        reports[-1].records.append(rec)
        if rec[0] == "end":
            reports[-1].complete = True
    return reports


def parse(text):
    """The last complete report in serial output (str or bytes), else
    the last incomplete one, else an empty incomplete report."""
    reports = parse_all(text)
    for rep in reversed(reports):
        if rep.complete:
            return rep
    return reports[-1] if reports else ProbeReport([], False)


def parse_file(path):
    with open(path, "rb") as f:
        return parse(f.read())

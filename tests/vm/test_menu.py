"""kjump as the boot loader: build/bootloader (Debian's generic kernel, an
initramfs running `kjump menu`) in QEMU, driven over the serial console
with pexpect. Every entry boots a Debian kernel whose first line says
which entry it is and what command line it got. Serial logs are kept in
build/vm-logs/menu-*.log."""
import os
import re
import socket
import time

import pytest

import bootdisks
import vmlib

pexpect = pytest.importorskip("pexpect")

MENU_TIMEOUT = 240  # TCG: the generic kernel loads ~50 modules


@pytest.fixture(scope="module")
def loader():
    return bootdisks.bootloader()


@pytest.fixture(scope="module")
def disks(workdir, cloud_kernel, loader):
    d = os.path.join(workdir, "menu")
    os.makedirs(d, exist_ok=True)
    return {
        "ext4": bootdisks.ext4_grub_disk(d, cloud_kernel, bls=True),
        "ext4-plain": bootdisks.ext4_grub_disk(d, cloud_kernel,
                                               name="ext4p"),
        "vfat": bootdisks.vfat_syslinux_disk(d, cloud_kernel),
        "iso": bootdisks.iso_disk(d, cloud_kernel),
        "dir": d,
    }


def conf_initrd(workdir, name, conf):
    return bootdisks.overlay_initrd(workdir, name, {"etc/kjump.conf": conf})


def booted(child):
    """(entry, cmdline) of the kernel the menu started."""
    child.expect(r"KJ-BOOTED (\S+) cmdline: ([^\r\n]*)\r*\n", timeout=180)
    return child.match.group(1), child.match.group(2)


def menu_lines(child):
    """Wait for the whole menu; {number: (title, is_default)}."""
    child.expect("kjump boot menu", timeout=MENU_TIMEOUT)
    child.expect(r"Number\+Enter", timeout=60)
    entries = {}
    for line in child.before.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)
        m = re.match(r"^[ >]\s*(\d+) ([* ]) (.*?)\s*$", line)
        if m:
            entries[int(m.group(1))] = (m.group(3), m.group(2) == "*")
    return entries


def number_of(entries, title):
    for n, (t, _) in entries.items():
        if t == title:
            return n
    raise AssertionError("%r not in the menu: %r" % (title, entries))


def close(child):
    child.terminate(force=True)


def test_lists_three_disks_and_countdown_boots_default(accel, disks):
    cmd = bootdisks.qemu_cmd(accel, disks=[disks["ext4"], disks["vfat"],
                                           disks["iso"]], append="quiet")
    child = bootdisks.spawn("menu-three-disks", cmd)
    try:
        entries = menu_lines(child)
        titles = [t for t, _ in entries.values()]
        for t in ("Debian GNU/Linux", "Debian GNU/Linux (recovery mode)",
                  "BLS entry", "Live system", "Missing kernel",
                  "Install from CD"):
            assert t in titles, entries
        defaults = [t for t, d in entries.values() if d]
        assert len(defaults) == 1
        child.expect("boots in", timeout=30)
        entry, cmdline = booted(child)
        want = {"Debian GNU/Linux": "grub-debian",
                "Live system": "syslinux-live",
                "Install from CD": "isolinux-install"}[defaults[0]]
        assert entry == want
        assert "kj_entry=" + want in cmdline
    finally:
        close(child)


def test_arrow_down_enter_boots_second_entry(accel, disks):
    cmd = bootdisks.qemu_cmd(accel, disks=[disks["ext4-plain"]],
                             append="quiet")
    child = bootdisks.spawn("menu-arrow-down", cmd)
    try:
        entries = menu_lines(child)
        assert entries[1] == ("Debian GNU/Linux", True)
        child.expect("boots in")
        child.send("\x1b[B")
        child.expect("Debian GNU/Linux \\(recovery mode\\)")
        time.sleep(0.5)
        child.send("\r")
        entry, cmdline = booted(child)
        assert entry == "grub-recovery"
        assert " single " in cmdline + " "
    finally:
        close(child)


def test_number_enter_on_dumb_terminal(accel, disks):
    cmd = bootdisks.qemu_cmd(accel, disks=[disks["ext4-plain"]],
                             append="quiet TERM=dumb")
    child = bootdisks.spawn("menu-dumb-number", cmd)
    try:
        menu_lines(child)
        child.expect("boots in")
        assert "\x1b[" not in child.before
        child.send("2")
        child.expect("Boot entry: 2")
        child.send("\r")
        entry, _ = booted(child)
        assert entry == "grub-recovery"
        with open(vmlib.log_path("menu-dumb-number")) as f:
            menu_part = f.read().split("kjump: looking")[1].split(
                "Loading")[0]
        assert "\x1b[" not in menu_part, "ANSI escapes on a dumb terminal"
    finally:
        close(child)


def test_edit_command_line(accel, disks):
    cmd = bootdisks.qemu_cmd(accel, disks=[disks["ext4-plain"]],
                             append="quiet")
    child = bootdisks.spawn("menu-edit", cmd)
    try:
        menu_lines(child)
        child.expect("boots in")
        child.send("e")
        child.expect("Enter boots, Esc cancels")
        # End, delete "debian", type "edited"; Home, insert a word;
        # left/right over it and a Delete-key that removes nothing past
        # the end.
        child.send("\x1b[F")
        child.send("\x7f" * 6)
        child.send("edited")
        child.send("\x1b[H")
        child.send("kj_home=1 ")
        child.send("\x1b[D\x1b[C")
        time.sleep(0.5)
        child.send("\r")
        entry, cmdline = booted(child)
        assert entry == "grub-edited"
        assert cmdline.startswith("kj_home=1 console=ttyS0")
    finally:
        close(child)


def test_corrupt_config_next_to_good_disk(accel, disks, cloud_kernel):
    d = disks["dir"]
    bad = os.path.join(d, "bad")
    os.makedirs(os.path.join(bad, "boot", "grub"), exist_ok=True)
    with open(os.path.join(bad, "boot", "grub", "grub.cfg"), "wb") as f:
        f.write(b"set timeout=1\nmenuentry 'Half an entry' {\n"
                b"  linux /vmlinuz \x00\xff\xfe\n  if [ x\n")
    bad_img = os.path.join(d, "bad.img")
    vmlib.make_ext4(bad, bad_img, size_mb=8)
    # kjump.conf names the default (the ISO's "install"), not a config.
    initrd = conf_initrd(d, "corrupt", "timeout 3\ndefault install\n")
    cmd = bootdisks.qemu_cmd(accel, initrd=initrd,
                             disks=[bad_img, disks["iso"]], append="quiet")
    child = bootdisks.spawn("menu-corrupt", cmd)
    try:
        entries = menu_lines(child)
        assert "Install from CD" in [t for t, _ in entries.values()]
        assert re.search(r"warning: /dev/nvme\S+: /boot/grub/grub.cfg:\d+",
                         child.before), child.before
        n = number_of(entries, "Install from CD")
        assert entries[n][1], "kjump.conf's default is not marked"
        child.expect("%d: Install from CD boots in" % n)
        entry, _ = booted(child)
        assert entry == "isolinux-install"
    finally:
        close(child)


def test_missing_kernel_shows_error_and_menu_returns(accel, disks):
    # Rewrite rules from kjump.conf apply to every entry.
    initrd = conf_initrd(disks["dir"], "missing",
                         "timeout 30\nset-arg kj_conf=yes\n"
                         "remove-arg quiet\n")
    cmd = bootdisks.qemu_cmd(accel, initrd=initrd, disks=[disks["vfat"]],
                             append="quiet TERM=dumb")
    child = bootdisks.spawn("menu-missing-kernel", cmd)
    try:
        entries = menu_lines(child)
        child.send("%d\r" % number_of(entries, "Missing kernel"))
        child.expect(r"kjump: [^\r\n]*no-such-vmlinuz[^\r\n]*\r*\n")
        again = menu_lines(child)
        assert again == {n: (t, d) for n, (t, d) in entries.items()}
        assert "error: " in child.before
        child.send("%d\r" % number_of(entries, "Live system"))
        entry, cmdline = booted(child)
        assert entry == "syslinux-live"
        assert "kj_conf=yes" in cmdline.split()
        assert "quiet" not in cmdline.split()
    finally:
        close(child)


def monitor(path, *commands):
    """Commands for QEMU's human monitor on a unix socket."""
    s = socket.socket(socket.AF_UNIX)
    for _ in range(50):
        try:
            s.connect(path)
            break
        except OSError:
            time.sleep(0.1)
    out = b""
    s.settimeout(5)
    for c in commands:
        s.sendall(c.encode() + b"\n")
        time.sleep(0.5)
        try:
            out += s.recv(65536)
        except socket.timeout:
            pass
    s.close()
    return out.decode("utf-8", "replace")


def test_usb_disk_plugged_in_later_is_found(accel, disks):
    d = disks["dir"]
    sock = os.path.join(d, "monitor.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    initrd = conf_initrd(d, "usb", "timeout 60\n")
    cmd = bootdisks.qemu_cmd(
        accel, initrd=initrd, disks=[disks["iso"]], append="quiet",
        extra=["-device", "qemu-xhci,id=xhci",
               "-monitor", "unix:%s,server=on,wait=off" % sock])
    child = bootdisks.spawn("menu-usb-hotplug", cmd)
    try:
        entries = menu_lines(child)
        assert "Live system" not in [t for t, _ in entries.values()]
        time.sleep(2)
        out = monitor(sock,
                      "drive_add 0 if=none,id=usb0,format=raw,readonly=on,"
                      "file=" + disks["vfat"],
                      "device_add usb-storage,bus=xhci.0,drive=usb0,"
                      "id=stick")
        assert "Error" not in out, out
        entries = None
        deadline = time.time() + 120
        while time.time() < deadline:
            entries = menu_lines(child)
            if "Live system" in [t for t, _ in entries.values()]:
                break
        assert "Live system" in [t for t, _ in entries.values()], entries
        assert re.search(r"/dev/sd[a-z]+\d* \(vfat KJVFAT\)", child.before)
        child.send("%d\r" % number_of(entries, "Live system"))
        entry, _ = booted(child)
        assert entry == "syslinux-live"
    finally:
        close(child)


def test_one_shot_through_firmware_reset(accel, disks, cloud_kernel):
    """SeaBIOS, no efivarfs: the record is /kjump/oneshot on the disk
    labelled KJUMP. The booted entry reboots again, so the third start
    must show the menu."""
    d = disks["dir"]
    payload = bootdisks.payload_initrd("echo KJ-REBOOTING; reboot -f\n")
    ext = bootdisks.ext4_grub_disk(d, cloud_kernel, name="ext4-reboot",
                                   payload=payload)
    state = bootdisks.empty_vfat(d, "state", "KJUMP")
    initrd = conf_initrd(d, "oneshot", "timeout 60\n")
    cmd = bootdisks.qemu_cmd(accel, initrd=initrd, disks=[ext, state],
                             append="quiet TERM=dumb", reboot=True,
                             writable=[state])
    child = bootdisks.spawn("menu-oneshot", cmd)
    try:
        child.expect("SeaBIOS")
        menu_lines(child)
        child.send("s")
        child.expect("Starting /bin/sh")
        time.sleep(1)
        child.send("kjump boot --once debian-recovery --reboot\r")
        child.expect("next boot: debian-recovery")
        child.expect("SeaBIOS", timeout=120)
        child.expect("One-shot boot: debian-recovery", timeout=MENU_TIMEOUT)
        entry, _ = booted(child)
        assert entry == "grub-recovery"
        assert "kjump boot menu" not in child.before
        child.expect("SeaBIOS", timeout=120)
        entries = menu_lines(child)
        assert entries[1] == ("Debian GNU/Linux", True)
        child.expect("boots in")
    finally:
        close(child)


OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"
LOADER_GUID = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"


def efivar_printf(name, value):
    """A shell line that sets a Boot Loader Interface variable the way
    another tool would: attributes NV|BS|RT, UTF-16LE, NUL."""
    data = b"\x07\0\0\0" + (value + "\0").encode("utf-16-le")
    fmt = "".join("\\%03o" % b for b in data)
    return "printf '%s' > /sys/firmware/efi/efivars/%s-%s" % (
        fmt, name, LOADER_GUID)


@pytest.mark.skipif(not os.path.exists(OVMF_CODE), reason="no OVMF")
def test_one_shot_and_default_in_efi_variables(accel, disks, cloud_kernel):
    """OVMF with its own variable store: `kjump boot --once` writes
    LoaderEntryOneShot, the next start boots that entry and deletes the
    variable first; LoaderEntryDefault set by another tool picks the
    default of the menu after that."""
    import shutil
    d = disks["dir"]
    payload = bootdisks.payload_initrd("echo KJ-REBOOTING; reboot -f\n")
    ext = bootdisks.ext4_grub_disk(d, cloud_kernel, name="ext4-efi",
                                   bls=True, payload=payload)
    vars_fd = os.path.join(d, "OVMF_VARS.fd")
    shutil.copy(OVMF_VARS, vars_fd)
    initrd = conf_initrd(d, "efi", "timeout 60\n")
    cmd = bootdisks.qemu_cmd(
        accel, initrd=initrd, disks=[ext], append="quiet TERM=dumb",
        reboot=True,
        extra=["-drive", "if=pflash,format=raw,readonly=on,file=" +
               OVMF_CODE, "-drive", "if=pflash,format=raw,file=" + vars_fd])
    child = bootdisks.spawn("menu-efi-oneshot", cmd)
    firmware = "\x1b[=3h"  # OVMF sets the console mode: its first output
    try:
        child.expect_exact(firmware, timeout=120)
        entries = menu_lines(child)
        assert entries[1] == ("Debian GNU/Linux", True)
        child.send("s")
        child.expect("Starting /bin/sh")
        time.sleep(1)
        child.send(efivar_printf("LoaderEntryDefault", "debian-recovery") +
                   "; echo KJ-SET-$?\r")
        child.expect("KJ-SET-0")
        child.send("kjump boot --once bls-6.1.0 --reboot\r")
        child.expect("next boot: bls-6.1.0")
        child.expect_exact(firmware, timeout=120)
        child.expect("One-shot boot: bls-6.1.0", timeout=MENU_TIMEOUT)
        entry, _ = booted(child)
        assert entry == "bls"
        assert "kjump boot menu" not in child.before
        child.expect_exact(firmware, timeout=120)
        entries = menu_lines(child)
        assert "One-shot" not in child.before
        assert entries[2] == ("Debian GNU/Linux (recovery mode)", True)
        child.expect("2: Debian GNU/Linux \\(recovery mode\\) boots in")
    finally:
        close(child)


def test_quit_leaves_a_shell_and_menu_runs_again(accel, disks):
    cmd = bootdisks.qemu_cmd(accel, disks=[disks["ext4-plain"]],
                             append="quiet TERM=dumb")
    child = bootdisks.spawn("menu-quit-shell", cmd)
    try:
        menu_lines(child)
        child.expect("boots in")
        child.send("q")
        child.expect("here is a shell")
        time.sleep(1)
        child.send("echo KJ-SHELL-$((6*7))\r")
        child.expect("KJ-SHELL-42")
        child.send("kjump menu --timeout 1 --wait 0\r")
        entries = menu_lines(child)
        assert entries[1] == ("Debian GNU/Linux", True)
        entry, _ = booted(child)
        assert entry == "grub-debian"
    finally:
        close(child)


def test_one_shot_record_on_usb_stick_found_late(accel, disks, workdir):
    """The state file is on the boot medium, a USB stick labelled KJUMP
    that shows up only after the menu started: the menu still takes the
    record (deleting it) and boots the entry."""
    import subprocess
    d = disks["dir"]
    stick = bootdisks.empty_vfat(d, "stick", "KJUMP")
    rec = os.path.join(d, "oneshot.txt")
    with open(rec, "w") as f:
        f.write("debian-recovery\n")
    subprocess.run(["mmd", "-i", stick, "::/kjump"], check=True)
    subprocess.run(["mcopy", "-i", stick, rec, "::/kjump/oneshot"],
                   check=True)
    sock = os.path.join(d, "monitor-stick.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    initrd = conf_initrd(d, "stick", "timeout 60\nwait 60\n")
    cmd = bootdisks.qemu_cmd(
        accel, initrd=initrd, disks=[disks["ext4-plain"]],
        append="quiet TERM=dumb",
        extra=["-device", "qemu-xhci,id=xhci",
               "-monitor", "unix:%s,server=on,wait=off" % sock])
    child = bootdisks.spawn("menu-oneshot-usb", cmd)
    try:
        menu_lines(child)
        child.expect("boots in")
        out = monitor(sock,
                      "drive_add 0 if=none,id=stick,format=raw,file=" +
                      stick,
                      "device_add usb-storage,bus=xhci.0,drive=stick")
        assert "Error" not in out, out
        child.expect("One-shot boot: debian-recovery", timeout=120)
        entry, _ = booted(child)
        assert entry == "grub-recovery"
    finally:
        close(child)
    r = subprocess.run(["mtype", "-i", stick, "::/kjump/oneshot"],
                       capture_output=True)
    assert r.returncode != 0, "the record was not deleted"

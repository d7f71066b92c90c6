"""Fixtures for the VM suite (run with Debian's /usr/bin/python3)."""
import os
import subprocess

import pytest

import vmlib


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("vm"))


@pytest.fixture(scope="session")
def cloud_kernel():
    return vmlib.fetch_kernel("linux-image-cloud-amd64")


@pytest.fixture(scope="session")
def kjump_static():
    vmlib.make("STATIC=1")
    path = os.path.join(vmlib.BUILD, "static", "kjump")
    assert os.path.exists(path)
    return path


@pytest.fixture(scope="session")
def accel(cloud_kernel, workdir):
    a = vmlib.pick_accel(cloud_kernel, workdir)
    print("VM accelerator:", a)
    return a


@pytest.fixture(scope="session")
def guest(workdir, accel, cloud_kernel, kjump_static):
    return vmlib.Guest(workdir, accel, cloud_kernel, kjump_static)

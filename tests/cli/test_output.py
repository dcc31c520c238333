"""-o and stdout: a regular file is replaced atomically; a device, a FIFO or stdout is written
through; a symlink's target gets the content; a folder name and the catalogue are refused; a write
error is a message and exit 1, and leaves the old file as it was.

The tests run as root, where replacing /dev/null or /dev/stdout would break the machine for
everyone: devices are made with mknod in the test's own folder, and stdout is reached through a
symlink of our own to /proc/self/fd/1, just as /dev/stdout is.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import CLI, IN_CI, REPO, run_cli

CATALOGUE = REPO / "catalogue.yaml"
CAT = ("--catalogue", str(CATALOGUE))


def csl_json() -> str:
    done = run_cli("csl-json", *CAT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device of our own (1,3 is null, 1,7 is full), or the system's where a non-root
    user, who cannot replace it, runs the tests."""
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        if os.geteuid() == 0 and not IN_CI:  # a CI machine is thrown away after the run; a developer's is not
            pytest.skip("root without mknod, outside CI: this machine's own /dev is not risked")
        return Path("/dev", name)
    return path


def is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


def test_a_regular_file_is_replaced_whole(tmp_path):
    out = tmp_path / "refs.json"
    out.write_text("old")
    out.chmod(0o640)
    assert run_cli("csl-json", *CAT, "-o", str(out)).returncode == 0
    assert out.read_text() == csl_json()
    assert stat.S_IMODE(out.stat().st_mode) == 0o640, "the file keeps its permissions"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.json"]


def test_a_symlink_stays_a_link_and_its_target_gets_the_content(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "refs.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(Path("real", "refs.json"))
    done = run_cli("csl-json", *CAT, "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real", "refs.json"))
    assert target.read_text() == csl_json()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real"]
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["refs.json"], "no temporary file left"


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    assert run_cli("csl-json", *CAT, "-o", str(link)).returncode == 0
    assert link.is_symlink() and (tmp_path / "new.json").read_text() == csl_json()


def test_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("csl-json", *CAT, "-o", str(fifo))
    reader.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert done.returncode == 0, done.stderr
    assert received == [csl_json().encode()]


def test_stdout_by_a_path_is_written_through(tmp_path):
    """``-o /dev/stdout`` (here a link of our own to where /dev/stdout points) writes to the pipe."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    done = run_cli("csl-json", *CAT, "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert done.stdout == csl_json()
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert [p.name for p in tmp_path.iterdir()] == ["stdout"]


def test_stdout_by_a_path_appends_to_a_file_as_the_shell_opened_it(tmp_path):
    """``{ echo first; syndata-export -o /dev/stdout; } > file``: the file holds both, in order."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    out = tmp_path / "out.json"
    with out.open("w") as handle:
        handle.write("first\n")
        handle.flush()
        done = subprocess.run([str(CLI), "csl-json", *CAT, "-o", str(link)], stdout=handle, stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    assert out.read_text() == "first\n" + csl_json()


def test_a_device_is_written_through_and_stays_a_device(tmp_path):
    null = device(tmp_path, "null", 3)
    done = run_cli("csl-json", *CAT, "-o", str(null))
    assert is_char_device(null), "the device was replaced by a file"
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_a_full_device_is_an_error_and_stays_a_device(tmp_path):
    full = device(tmp_path, "full", 7)
    done = run_cli("csl-json", *CAT, "-o", str(full))
    assert is_char_device(full), "the device was replaced by a file"
    assert done.returncode == 1
    assert done.stderr == f"syndata-export: error: cannot write {full}: No space left on device\n"


@pytest.mark.parametrize("command", [["csl-json"], ["render", "--format", "text"], ["styles", "apa"]])
def test_a_write_error_on_stdout_is_a_message(tmp_path, command):
    full = device(tmp_path, "full", 7)
    with full.open("w") as stdout:
        done = subprocess.run([str(CLI), *command, *CAT], stdout=stdout, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr == "syndata-export: error: cannot write to standard output: No space left on device\n"


def test_a_write_error_leaves_the_old_file_untouched(tmp_path):
    """Disk full or the like, here a file-size limit of 1,000 bytes (EFBIG): the old file stays whole."""
    out = tmp_path / "refs.json"
    out.write_text("keep me")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    done = subprocess.run(
        [str(CLI), "csl-json", *CAT, "-o", str(out)], capture_output=True, text=True, preexec_fn=limited
    )
    assert done.returncode == 1
    assert done.stderr == f"syndata-export: error: cannot write {out}: File too large\n"
    assert out.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.json"], "no temporary file left"


def test_a_trailing_slash_is_refused(tmp_path):
    done = run_cli("csl-json", *CAT, "-o", "newdir/", cwd=tmp_path)
    assert done.returncode == 1
    assert "cannot write newdir/: a file name cannot end in '/'" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_refused(tmp_path):
    done = run_cli("csl-json", *CAT, "-o", str(tmp_path))
    assert done.returncode == 1 and f"cannot write {tmp_path}: it is a folder" in done.stderr


@pytest.mark.parametrize(
    ("command", "output"),
    [
        pytest.param(["list"], "catalogue.yaml", id="list_o_catalogue"),
        pytest.param(["csl-json"], "./sub/../catalogue.yaml", id="another_spelling"),
        pytest.param(["bibtex", "--catalogue", "catalogue.yaml"], "{tmp}/catalogue.yaml", id="absolute_path"),
        pytest.param(["render", "--format", "text"], "link.yaml", id="through_a_symlink"),
        pytest.param(["list", "--catalogue", "link.yaml"], "catalogue.yaml", id="catalogue_by_a_symlink"),
    ],
)
def test_the_catalogue_a_command_reads_is_never_its_output(tmp_path, command, output):
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_bytes(CATALOGUE.read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.yaml").symlink_to("catalogue.yaml")
    done = run_cli(*command, "-o", output.format(tmp=tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "it is the catalogue this command reads" in done.stderr and done.stdout == ""
    assert catalogue.read_bytes() == CATALOGUE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.yaml", "link.yaml", "sub"]

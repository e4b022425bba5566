"""Tern's fat jar as it was at an earlier commit, for before-and-after timings.

The commit's files come from `git archive` into a temporary folder, which Maven builds the same
way bin/tern builds this tree (package, no tests, no install: the shared ~/.m2 is left as it is).
The jar is kept under tools/target/bench-base/COMMIT/ so that a second run reuses it."""
import shutil
import subprocess
import tempfile
from pathlib import Path

# The multi-loss training API (named loss terms, parameter groups) came in with this file; the
# commit before it is the default "before".
MULTI_LOSS_API_FILE = "train-ext/src/main/java/dev/tern/train/LossTerms.java"


class BuildFailed(Exception):
    """git or Maven failed; the message says which command and where its output is."""


def git(root, *args):
    completed = subprocess.run(["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    if completed.returncode != 0:
        raise BuildFailed(f"git {' '.join(args)} failed in {root}: {completed.stderr.strip()}")
    return completed.stdout.strip()


def before_multi_loss_api(root):
    """The parent of the commit that added LossTerms.java; raises BuildFailed when the history
    does not have it (a shallow clone)."""
    added = git(root, "log", "--diff-filter=A", "--format=%H", "--", MULTI_LOSS_API_FILE).splitlines()
    if not added:
        raise BuildFailed(f"no commit in {root}'s history adds {MULTI_LOSS_API_FILE}; name a base commit")
    return git(root, "rev-parse", f"{added[-1]}^")


def built_jar(root, commit):
    """The path of tern.jar built from `commit` (any name git understands), building it first
    unless an earlier run did; raises BuildFailed when git or Maven fails."""
    full = git(root, "rev-parse", "--verify", f"{commit}^{{commit}}")
    jar = Path(root) / "tools/target/bench-base" / full / "tern.jar"
    if jar.is_file():
        return jar
    jar.parent.mkdir(parents=True, exist_ok=True)
    log = jar.parent / "build.log"
    print(f"building {full[:10]}'s tern.jar (a few minutes; log {log}) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="tern-base-") as folder:
        source = Path(folder) / "source"
        source.mkdir()
        archive = Path(folder) / "source.tar"
        git(root, "archive", "--format=tar", "-o", str(archive), full)
        shutil.unpack_archive(archive, source)
        with open(log, "w") as output:
            status = subprocess.run(["mvn", "-B", "-ntp", "-pl", "tools", "-am", "package", "-Dmaven.test.skip=true",
                                     "-Dmaven.javadoc.skip=true", "-Dmaven.source.skip=true"],
                                    cwd=source, stdout=output, stderr=subprocess.STDOUT).returncode
        if status != 0:
            raise BuildFailed(f"Maven failed to build {full[:10]} (status {status}); log {log}")
        shutil.copyfile(source / "tools/target/tern.jar", jar)
    return jar

"""Running PostgreSQL as an unprivileged user when we are root.

PostgreSQL refuses to start as root (a superuser-owned server process would turn any SQL-level
compromise into a root compromise). CI and containers often run as root, so in that case the
embedded server runs as a dedicated system user, `pgserver`, created on first use with the same
helper the pgserver wheel uses. Everything the server must write is chowned to it; the folders
above the data directory only get the search (x) bit it needs to reach it.
"""

from __future__ import annotations

import logging
import os
import pwd
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lingxi_common.runtime.errors import EmbeddedServerError

log = logging.getLogger(__name__)

POSTGRES_SYSTEM_USER = "pgserver"


@dataclass(frozen=True)
class RunAs:
    """A user (and its primary group) a child process switches to before exec."""

    name: str
    uid: int
    gid: int

    def chown(self, path: Path) -> None:
        os.chown(path, self.uid, self.gid)

    def chown_tree(self, root: Path) -> None:
        """Chown a tree the server owns (data dir), without following symlinks out of it."""
        self.chown(root)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in [*dirnames, *filenames]:
                os.lchown(os.path.join(dirpath, name), self.uid, self.gid)


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    """The passwd entry of `name`, creating the user via pgserver's helper when missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    from pgserver.utils import ensure_user_exists

    try:
        entry = ensure_user_exists(name)
    except (subprocess.CalledProcessError, OSError) as error:
        # Another process may have created it concurrently; otherwise useradd is missing.
        try:
            return pwd.getpwnam(name)
        except KeyError:
            raise EmbeddedServerError(
                f"PostgreSQL cannot run as root and creating the system user {name!r} failed ({error}). "
                f"Create it (useradd {name}) or run as a non-root user."
            ) from error
    if entry is None:  # pragma: no cover - the helper returns an entry or raises
        return pwd.getpwnam(name)
    return entry


def postgres_run_as() -> RunAs | None:
    """The user PostgreSQL must run as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    entry = _ensure_system_user(POSTGRES_SYSTEM_USER)
    return RunAs(name=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid)


def ensure_traversable(path: Path, run_as: RunAs) -> None:
    """Let `run_as` reach `path`: add only the search bit to ancestors that deny it.

    pgserver's own helper opens every ancestor to read+search for everyone; we only need
    search (x), which reveals no directory listing. Each change is logged because it alters
    permissions outside the data directory.
    """
    for ancestor in path.resolve().parents:
        info = ancestor.stat()
        if info.st_uid == run_as.uid:
            needed = stat.S_IXUSR
        elif info.st_gid == run_as.gid:
            needed = stat.S_IXGRP
        else:
            needed = stat.S_IXOTH
        if not info.st_mode & needed:
            log.warning("granting search permission on %s so %s can reach %s", ancestor, run_as.name, path)
            ancestor.chmod(stat.S_IMODE(info.st_mode) | needed)


def ensure_binaries_usable(bin_dir: Path, run_as: RunAs) -> None:
    """Make the wheel's PostgreSQL install readable and executable by `run_as`.

    A venv created with a restrictive umask leaves the binaries root-only; pgserver ships helpers
    for exactly this, which we reuse only when a quick check says they are needed.
    """
    install_root = bin_dir.parent
    postgres = bin_dir / "postgres"
    mode = postgres.stat().st_mode
    if mode & stat.S_IXOTH and install_root.stat().st_mode & stat.S_IXOTH:
        ensure_traversable(install_root, run_as)
        return
    from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions

    log.warning("making %s readable and executable for %s", install_root, run_as.name)
    ensure_prefix_permissions(install_root)
    ensure_folder_permissions(install_root, stat.S_IROTH | stat.S_IXOTH)

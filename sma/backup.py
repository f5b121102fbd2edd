"""Backups that can be restored: the PostgreSQL database and the stored files (attachments,
certificates, reports — whatever the default storage holds) in one archive.

The archive is a tar file:

    manifest.json      when, which database, and every file with its size and SHA-256
    database.dump      ``pg_dump --format=custom`` (restored with ``pg_restore --clean``)
    files/<name>       each stored file, read through Django's storage API (local disk or S3)

Restoring checks every file against the manifest before touching anything, replaces the
database's content with the dump's, and writes the files back under the same names."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    files: int
    database_bytes: int


def _pg_env_and_name(alias: str = "default") -> tuple[dict[str, str], str]:
    db = connections[alias].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups are for PostgreSQL (the production database).")
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env, db["NAME"]


def _tool(name: str) -> str:
    """The PostgreSQL client program's full path (Debian's postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return path


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name the storage holds, walking its folders."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from stored_files(storage, f"{folder}/{directory}" if folder else directory)


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def backup_create(
    *, target: Path, storage: Storage | None = None, now: datetime | None = None
) -> BackupSummary:
    storage = storage or default_storage
    now = now or timezone.now()
    env, name = _pg_env_and_name()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.dump"
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", name],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        entries = []
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname="database.dump")
            for file_name in stored_files(storage):
                with storage.open(file_name, "rb") as handle:
                    content = handle.read()
                entries.append(
                    {"name": file_name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                )
                _add(archive, f"files/{file_name}", content)
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "database": name,
                "database_sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
                "files": entries,
            }
            _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        partial.replace(target)  # a backup cut off midway never looks complete
        return BackupSummary(path=target, files=len(entries), database_bytes=dump.stat().st_size)


def backup_check(source: Path) -> tuple[dict, bytes, dict[str, bytes]]:
    try:
        archive = tarfile.open(source, "r")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source} is not a backup archive: {error}") from error
    with archive:
        try:
            manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
            dump = archive.extractfile("database.dump").read()  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as error:
            raise BackupError(f"{source} lacks its manifest or its database dump.") from error
        if (
            manifest.get("format") != FORMAT
            or hashlib.sha256(dump).hexdigest() != manifest["database_sha256"]
        ):
            raise BackupError("The database dump does not match the manifest: the archive is damaged.")
        files: dict[str, bytes] = {}
        for entry in manifest["files"]:
            member = archive.extractfile(f"files/{entry['name']}")
            content = member.read() if member is not None else b""
            if hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise BackupError(
                    f"The file {entry['name']} does not match the manifest: the archive is damaged."
                )
            files[entry["name"]] = content
    return manifest, dump, files


def backup_restore(*, source: Path, storage: Storage | None = None) -> dict:
    """Replace the database's content and the stored files with the backup's. Every check is done
    before anything is changed. Returns the manifest."""
    storage = storage or default_storage
    manifest, dump, files = backup_check(source)
    env, name = _pg_env_and_name()
    connections.close_all()
    with tempfile.NamedTemporaryFile(suffix=".dump") as handle:
        handle.write(dump)
        handle.flush()
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={name}",
                handle.name,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    for file_name, content in files.items():
        if storage.exists(file_name):
            storage.delete(file_name)
        saved = storage.save(file_name, ContentFile(content))
        if saved != file_name:
            raise BackupError(f"The storage renamed {file_name} to {saved}.")
    return manifest

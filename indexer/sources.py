"""Find the documents under a corpus folder, read their bytes and decode them.

`walk` lists candidate files without reading them (so that incremental runs can
decide from size and mtime what needs reading); `read` loads one file; `decode`
turns bytes into text, detecting the encoding instead of assuming it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

COLLECTION_FILE = "accord.toml"
"""A folder's collection file: defaults for the documents under it (indexer.collection)."""
MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files larger than this (16 MiB) are skipped with a warning, to bound memory."""

_WESTERN = {"cp1252", "latin_1", "iso8859_15"}
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


class Format(str, Enum):
    """How a file's content is written."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    XML = "xml"
    RECORDS = "records"
    """JSON Lines, JSON or CSV: each record is a document (see indexer.convert.records)."""
    PDF = "pdf"


SUFFIXES = {
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xml": Format.XML,
    ".jsonl": Format.RECORDS,
    ".json": Format.RECORDS,
    ".csv": Format.RECORDS,
    ".sgm": Format.RECORDS,
    ".sgml": Format.RECORDS,
    ".pdf": Format.PDF,
}


SIDECAR_SUFFIX = ".meta.json"
"""`report.txt.meta.json` (or `report.meta.json`) beside `report.txt` gives its metadata."""
MAX_SIDECAR_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A document file found under the corpus root, not yet read. With a sidecar, `size`
    and `mtime_ns` cover both files, so a change to either is seen."""

    path: str
    doc_id: str
    format: Format
    size: int
    mtime_ns: int
    sidecar: str | None = None
    collection: tuple[str, ...] = ()
    """The collection files (accord.toml) that apply, outermost first; `size` and
    `mtime_ns` cover them too."""


@dataclass(frozen=True, slots=True)
class RawFile:
    """A document file's bytes, as read."""

    path: Path
    doc_id: str
    format: Format
    data: bytes
    mtime_ns: int
    sidecar: bytes | None = None
    """The bytes of the file's sidecar metadata, if it has one."""
    collection: tuple[tuple[str, bytes], ...] = ()
    """The collection files that apply, outermost first, as (shown path, bytes)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be used, and why."""

    path: str
    reason: str


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def walk(root: Path, exclude: Iterable[Path] = (),
         unchanged: Callable[[str, int, int], bool] | None = None) -> Iterator[SourceFile | Skipped | str]:
    """Yield the document files under `root` (recursively, sorted), or why one was skipped.

    Hidden files and folders and the folders in `exclude` are left out; symbolic links
    are followed only to files inside `root`. A file for which `unchanged(doc_id, size,
    mtime_ns)` holds is yielded as its doc_id alone: a reindex meets thousands of files it
    already holds, and needs nothing else about them.
    """
    root = root.resolve()
    found: list[SourceFile | Skipped | str] = []
    walker = _Walker(root, len(str(root)) + 1, frozenset(str(p.resolve()) for p in exclude), unchanged, found)
    walker.folder(str(root), ())
    yield from found


@dataclass(frozen=True, slots=True)
class _Walker:
    """One walk: what every folder of it needs, and the list it fills. A list rather than
    nested generators, through which every file of a deep tree would pass once per level."""

    root: Path
    prefix: int
    """The length of the root's path and its separator: cut from a path, the doc_id is left."""
    excluded: frozenset[str]
    unchanged: Callable[[str, int, int], bool] | None
    found: list[SourceFile | Skipped | str]

    def folder(self, folder: str, collection: tuple[tuple[str, int, int], ...]) -> None:
        """Add the files under `folder`; `collection` holds the collection files above it,
        as (path, size, mtime)."""
        found = self.found
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=_name)
        except OSError as err:
            found.append(Skipped(printable_path(Path(folder)), f"folder {_os_reason(err)}"))
            return
        own = next((entry for entry in entries if entry.name == COLLECTION_FILE and entry.is_file()), None)
        if own is not None:
            try:
                st = own.stat()
                collection = (*collection, (own.path, st.st_size, st.st_mtime_ns))
            except OSError as err:
                found.append(Skipped(printable_path(own.path), _os_reason(err)))
        paths = tuple(path for path, _, _ in collection)
        extra_size = sum(size for _, size, _ in collection)
        latest = max((mtime for _, _, mtime in collection), default=0)
        sidecars = {entry.name: entry for entry in entries
                    if entry.name.lower().endswith(SIDECAR_SUFFIX) and entry.is_file(follow_symlinks=False)}
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.endswith("~") or name in sidecars:
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.path not in self.excluded:
                    self.folder(entry.path, collection)
                continue
            dot = name.rfind(".")  # as os.path.splitext, for a name that does not start with a dot
            fmt = SUFFIXES.get(name[dot:].lower()) if dot > 0 else None
            if fmt is None:
                continue
            sidecar = (sidecars.get(name + SIDECAR_SUFFIX) or sidecars.get(name[:dot] + SIDECAR_SUFFIX)) if sidecars else None
            path = entry.path
            rel = path[self.prefix :].replace(os.sep, "/")
            if sidecar is not None or not rel.isascii() or entry.is_symlink():
                item = _source_file(entry, rel, fmt, self.root, sidecar)
                if collection and isinstance(item, SourceFile):
                    item = replace(item, size=item.size + extra_size, mtime_ns=max(item.mtime_ns, latest),
                                   collection=paths)
                if isinstance(item, SourceFile) and self.unchanged is not None \
                        and self.unchanged(rel, item.size, item.mtime_ns):
                    found.append(rel)
                else:
                    found.append(item)
                continue
            try:  # most files: no check can fail but stat
                st = entry.stat()
            except OSError as err:
                found.append(Skipped(printable_path(path), _os_reason(err)))
                continue
            size, mtime = st.st_size, st.st_mtime_ns
            if collection:
                size, mtime = size + extra_size, max(mtime, latest)
            if self.unchanged is not None and self.unchanged(rel, size, mtime):
                found.append(rel)
            else:
                found.append(SourceFile(path, rel, fmt, size, mtime, None, paths))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _source_file(entry: os.DirEntry[str], rel: str, fmt: Format, root: Path,
                 sidecar: os.DirEntry[str] | None) -> SourceFile | Skipped:
    if not rel.isascii():
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            return Skipped(printable_path(entry.path), "the file name is not valid UTF-8; rename the file")
    if entry.is_symlink():
        path, shown = Path(entry.path), printable_path(entry.path)
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Skipped(shown, "broken symbolic link or symbolic link loop")
        if not target.is_relative_to(root):
            return Skipped(shown, "symbolic link to a file outside the corpus (not followed)")
        if not target.is_file():
            return Skipped(shown, "symbolic link to a folder (not followed)")
    try:
        st = entry.stat()
        side = sidecar.stat() if sidecar is not None else None
    except OSError as err:
        return Skipped(printable_path(entry.path), _os_reason(err))
    if side is None or sidecar is None:
        return SourceFile(entry.path, rel, fmt, st.st_size, st.st_mtime_ns)
    return SourceFile(entry.path, rel, fmt, st.st_size + side.st_size, max(st.st_mtime_ns, side.st_mtime_ns),
                      sidecar.path)


def read(source: SourceFile) -> RawFile | Skipped:
    """Read one file's bytes, bounded by MAX_FILE_BYTES."""
    shown = printable_path(source.path)
    try:
        with open(source.path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_size > MAX_FILE_BYTES:
                size_mb = st.st_size / 1024 / 1024
                return Skipped(shown, f"file is {size_mb:.0f} MiB, over the 16 MiB limit")
            data = handle.read(MAX_FILE_BYTES + 1)
            after = os.fstat(handle.fileno())
    except OSError as err:
        return Skipped(shown, _os_reason(err))
    if len(data) > MAX_FILE_BYTES:
        return Skipped(shown, "file grew over the 16 MiB limit while being read")
    if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns) or len(data) != st.st_size:
        return Skipped(shown, "the file changed while being read; the next run will index it")
    mtime, sidecar = st.st_mtime_ns, None
    if source.sidecar is not None:
        try:
            with open(source.sidecar, "rb") as handle:
                mtime = max(mtime, os.fstat(handle.fileno()).st_mtime_ns)
                sidecar = handle.read(MAX_SIDECAR_BYTES + 1)
        except OSError as err:
            return Skipped(shown, f"its metadata file {printable_path(source.sidecar)} {_os_reason(err)}")
        if len(sidecar) > MAX_SIDECAR_BYTES:
            return Skipped(shown, f"its metadata file {printable_path(source.sidecar)} is over 1 MiB")
    collection = []
    for path in source.collection:
        try:
            with open(path, "rb") as handle:
                mtime = max(mtime, os.fstat(handle.fileno()).st_mtime_ns)
                collection.append((display_path(path), handle.read(MAX_SIDECAR_BYTES + 1)))
        except OSError as err:
            return Skipped(shown, f"its collection file {printable_path(path)} {_os_reason(err)}")
    return RawFile(Path(source.path), source.doc_id, source.format, data, mtime, sidecar, tuple(collection))


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "the file disappeared while being indexed"
    if isinstance(err, PermissionError):
        return "permission denied; make the file readable"
    if isinstance(err, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot be read ({err.strerror or err})"


def printable_path(path: Path | str) -> str:
    """The path as text that can always be printed, even if its name is not UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def display_path(path: str, folder: Path | None = None) -> str:
    """The path relative to `folder` (the current one by default) when the file is under
    it, else absolute. Absolute paths already in pathlib's normal form (those the index
    stores) are cut as strings: a page of results shows many."""
    base = os.fspath(folder) if folder is not None else os.getcwd()
    if _normal_absolute(path) and _normal_absolute(base):
        if path == base:
            return "."
        under = base if base == "/" else base + "/"
        return path[len(under) :] if path.startswith(under) else path
    absolute = Path.cwd() / path
    try:
        return absolute.relative_to(folder or Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


def _normal_absolute(path: str) -> bool:
    """Whether a path is absolute and as pathlib would write it (no empty or "." parts,
    no trailing separator)."""
    return (path.startswith("/") and "//" not in path and "/./" not in path and not path.endswith("/.")
            and (path == "/" or not path.endswith("/")))


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    Raises DecodeError for binary data, for UTF-8 with broken byte sequences, and
    for bytes whose encoding cannot be told.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise DecodeError("invalid UTF-16 text") from err
    if b"\x00" in data[:8192]:
        raise DecodeError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if _looks_like_broken_utf8(data):
            raise DecodeError(f"invalid UTF-8 byte sequence at byte {err.start}") from err
    return _detect(data)


def _looks_like_broken_utf8(data: bytes) -> bool:
    """True when the bytes hold valid multi-byte UTF-8 sequences beside invalid ones."""
    text = data.decode("utf-8", "replace")
    valid_multibyte = sum(1 for ch in text if "\x80" <= ch != "\ufffd")
    return valid_multibyte >= 2 and valid_multibyte >= text.count("\ufffd")


def _detect(data: bytes) -> str:
    """Decode with charset-normalizer, preferring Western encodings where they fit.

    Short Western-European texts are often mistaken for cp1250 and the like; when a
    Western single-byte encoding is among the plausible ones, it wins.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    if not matches:
        raise DecodeError("binary data or unknown text encoding")
    for match in matches:
        western = _WESTERN.intersection(match.could_be_from_charset)
        if western:
            encoding = "cp1252" if "cp1252" in western else sorted(western)[0]
            text = data.decode(encoding, "replace")
            break
    else:
        text = str(matches.best())
    if _C0_CONTROLS.search(text[:8192]):
        raise DecodeError("binary data, not text")
    return text

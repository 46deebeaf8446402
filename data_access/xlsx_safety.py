"""First step of the importer: is an uploaded file safe to open (pure: no Streamlit, no database).

Pipeline: xlsx_safety (this module) -> xlsx_reader (sheets -> rows, using cell_values, return_columns
and status_text) -> matching (row -> task) -> importer (planning: preview/plan_import; apply_import,
undo_upload) -> upload history.

`check_container(data)` refuses (FileRefused, a Vietnamese message) anything that is not a plain,
reasonably sized .xlsx before python-calamine sees it: empty or too large files, legacy/encrypted
OLE2, .ods/.xlsb/macro workbooks, too many zip entries, zip bombs (declared and actual sizes,
compression ratio, CRC), DOCTYPE/ENTITY declarations and odd XML prologues. Every entry is streamed
once in bounded chunks; that same pass collects the hidden rows of each worksheet part
(`inspect_container` returns them, `HiddenRows` maps them to sheet names), because python-calamine
does not expose them. `FileRefused` and `CellError` are the refusal types every later step reuses.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET  # noqa: N817

MAX_ZIP_ENTRIES = 1000
MAX_UNCOMPRESSED_TOTAL = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # checked for entries declaring more than RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1024 * 1024
XML_PROLOGUE_CAP = 64 * 1024


@dataclass(frozen=True)
class CellError:
    """One cell the importer could not accept.

    `row` is the 1-based Excel row (0 for whole-file problems); `column` is the
    header as the user wrote it (or the column letter when there is no header).
    """

    sheet: str
    row: int
    column: str
    value: str
    message: str


class FileRefused(Exception):
    """The whole file is refused; `str(exc)` is a Vietnamese message."""

    def __init__(self, message: str, errors: list[CellError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: list[CellError] = errors if errors is not None else [CellError("", 0, "", "", message)]


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARKERS = tuple(
    marker
    for name in ("EncryptionInfo", "EncryptedPackage")
    for marker in (name.encode("utf-16-le"), name.encode("ascii"))
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD_MARKERS = (b"<!doctype", b"<!entity")
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def check_container(data: bytes, *, max_bytes: int = 10 * 1024 * 1024) -> None:
    """Refuse (FileRefused) anything that is not a plain, reasonably sized .xlsx (see `inspect_container`)."""
    inspect_container(data, max_bytes=max_bytes)


def inspect_container(data: bytes, *, max_bytes: int) -> dict[str, set[int]]:
    """`check_container`, returning what the one pass over the entries also saw: the 0-based
    indexes of the hidden rows of each worksheet part (python-calamine does not expose them).

    Checks, in order: empty; over `max_bytes`; legacy/encrypted OLE2; not a zip;
    not a spreadsheet; macros; entry count, declared total and per-entry ratio
    (central directory only); then streams every entry once in bounded chunks
    (see `_stream_entry`): DOCTYPE/ENTITY declarations, odd XML prologues and
    entries whose actual size or CRC does not match the declaration are refused.
    """
    if not data:
        raise FileRefused("Tệp trống (0 byte). Hãy chọn lại tệp báo cáo .xlsx.")
    if len(data) > max_bytes:
        raise FileRefused(
            f"Tệp quá lớn ({_mb(len(data))} MB); giới hạn là {_mb(max_bytes)} MB. "
            "Hãy xoá các trang tính không cần thiết rồi tải lại."
        )
    if data.startswith(_OLE2):
        if any(marker in data for marker in _ENCRYPTION_MARKERS):
            raise FileRefused(
                "Tệp được đặt mật khẩu (mã hoá) nên không đọc được. "
                "Hãy mở tệp, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại dạng .xlsx."
            )
        raise FileRefused("Đây là tệp .xls cũ (Excel 97–2003), hãy lưu lại dạng .xlsx rồi tải lên lại.")
    if not data.startswith(b"PK\x03\x04"):
        raise FileRefused(
            "Tệp không phải là bảng tính Excel .xlsx (có thể là tệp CSV/văn bản đã đổi đuôi). "
            "Hãy mở bằng Excel và lưu lại dạng .xlsx."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused("Tệp .xlsx bị hỏng (không mở được cấu trúc nén). Hãy lưu lại tệp rồi tải lên lại.") from None
    hidden: dict[str, set[int]] = {}
    with archive:
        _check_archive(archive, hidden)
    return hidden


def _check_archive(archive: zipfile.ZipFile, hidden: dict[str, set[int]]) -> None:
    infos = archive.infolist()
    names = {info.filename.lower() for info in infos}
    if "mimetype" in names and "content.xml" in names:
        raise FileRefused("Đây là tệp .ods (LibreOffice/OpenOffice), hãy lưu lại dạng .xlsx rồi tải lên lại.")
    if "[content_types].xml" not in names or not ({"xl/workbook.xml", "xl/workbook.bin"} & names):
        raise FileRefused("Tệp không phải là bảng tính Excel .xlsx. Hãy mở bằng Excel và lưu lại dạng .xlsx.")
    if "xl/workbook.bin" in names:
        raise FileRefused("Đây là tệp Excel nhị phân (.xlsb), hãy lưu lại dạng .xlsx rồi tải lên lại.")
    macro_msg = "Tệp có chứa macro (.xlsm) nên không được chấp nhận. Hãy lưu lại dạng .xlsx (Sổ làm việc Excel) rồi tải lên lại."
    if any(name.endswith("vbaproject.bin") for name in names):
        raise FileRefused(macro_msg)
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRefused(f"Tệp có cấu trúc bất thường ({len(infos)} thành phần, tối đa {MAX_ZIP_ENTRIES}); không đọc tệp này.")
    total = sum(info.file_size for info in infos)
    bomb_msg = "Tệp có cấu trúc nén bất thường (dung lượng giải nén quá lớn); không đọc tệp này vì lý do an toàn."
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise FileRefused(bomb_msg)
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise FileRefused(bomb_msg)
    info_ct = next((i for i in infos if i.filename.lower() == "[content_types].xml"), None)
    if info_ct is not None and info_ct.file_size <= 1024 * 1024:
        try:
            content_types = archive.read(info_ct)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            raise FileRefused("Tệp .xlsx bị hỏng; hãy lưu lại tệp rồi tải lên lại.") from None
        if b"macroenabled" in content_types.lower():
            raise FileRefused(macro_msg)
    for info in infos:
        name = info.filename.lower()
        rows = hidden.setdefault(info.filename, set()) if name.startswith("xl/worksheets/") else None
        _stream_entry(archive, info, bomb_msg, rows)


_DTD_MSG = (
    "Tệp chứa khai báo DOCTYPE/ENTITY trong XML (có thể là tệp độc hại); không đọc tệp này. "
    "Hãy lưu lại tệp bằng Excel rồi tải lên lại."
)
_ODD_XML_MSG = "Tệp có cấu trúc XML bất thường; không đọc tệp này. Hãy lưu lại tệp bằng Excel rồi tải lên lại."


def _stream_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bomb_msg: str,
                  hidden_rows: set[int] | None = None) -> None:
    """Read one entry in 1 MB chunks (memory bounded), collect the hidden rows of a worksheet
    part into `hidden_rows` (row tags with hidden="1"), and refuse the entry if:
    its actual size or CRC differs from the declaration (zipfile checks the CRC);
    it is an XML part whose root element does not start within XML_PROLOGUE_CAP
    bytes, that is UTF-16 encoded, or that contains `<!DOCTYPE` / `<!ENTITY`
    anywhere (searched in every chunk, with an overlap across chunk borders).
    """
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    head = b""
    root_seen = not is_xml
    tail = b""
    seen = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1024 * 1024):
                seen += len(chunk)
                if seen > info.file_size:
                    raise FileRefused(bomb_msg)
                if not is_xml:
                    continue
                if not root_seen:
                    head += chunk[: XML_PROLOGUE_CAP - len(head)]
                    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                        raise FileRefused(_ODD_XML_MSG)
                    root_seen = _ROOT_START.search(head) is not None
                    if not root_seen and len(head) >= XML_PROLOGUE_CAP:
                        raise FileRefused(_ODD_XML_MSG)
                window = tail + chunk
                if b"<!" in window and any(marker in window.lower() for marker in _DTD_MARKERS):
                    raise FileRefused(_DTD_MSG)
                if hidden_rows is not None and b"hidden" in window:
                    _hidden_rows_in(window, hidden_rows)
                tail = chunk[-4096:]  # a marker or row tag cut at a chunk border is seen whole in the next window
    except FileRefused:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        raise FileRefused("Tệp .xlsx bị hỏng hoặc có cấu trúc nén bất thường; hãy lưu lại tệp rồi tải lên lại.") from None
    if seen != info.file_size:
        raise FileRefused(bomb_msg)
    if not root_seen:
        raise FileRefused(_ODD_XML_MSG)


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_HIDDEN_ATTR = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([0-9]+)["']""")


class HiddenRows:
    """Hidden rows of each worksheet by sheet name, from what `inspect_container` collected
    while it streamed the parts (no second decompression) and the workbook's sheet -> part map."""

    def __init__(self, data: bytes, by_part: dict[str, set[int]]) -> None:
        self.data = data
        self.by_part = by_part
        self.parts: dict[str, str] | None = None

    def rows(self, sheet: str) -> set[int]:
        """0-based indexes of the hidden rows of `sheet` (empty when none or unknown)."""
        if not any(self.by_part.values()):
            return set()
        if self.parts is None:
            try:
                with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                    self.parts = _sheet_parts(archive)
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError, ET.ParseError):
                self.parts = {}
        path = self.parts.get(sheet)
        return self.by_part.get(path, set()) if path is not None else set()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, from xl/workbook.xml and its relationships."""
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    book = ET.fromstring(archive.read(names["xl/workbook.xml"]))  # noqa: S314 - DOCTYPE/ENTITY refused before
    rels = ET.fromstring(archive.read(names["xl/_rels/workbook.xml.rels"]))  # noqa: S314 - as above
    targets: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id") or ""] = names.get(path.lower(), path)
    parts: dict[str, str] = {}
    for element in book.iter():
        if not element.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        name = element.get("name")
        if rid in targets and name is not None:
            parts[name] = targets[rid]
    return parts


def _hidden_rows_in(window: bytes, hidden: set[int]) -> None:
    for match in _ROW_TAG.finditer(window):
        tag = match.group(0)
        if b"hidden" in tag and _HIDDEN_ATTR.search(tag) and (number := _R_ATTR.search(tag)):
            hidden.add(int(number.group(1)) - 1)


__all__ = [
    "CellError",
    "FileRefused",
    "HiddenRows",
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_TOTAL",
    "MAX_ZIP_ENTRIES",
    "RATIO_MIN_SIZE",
    "XML_PROLOGUE_CAP",
    "check_container",
    "inspect_container",
]

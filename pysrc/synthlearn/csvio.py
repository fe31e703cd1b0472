"""Read and write tables as CSV, and describe what was read.

:func:`read_csv` turns a CSV file (a path, its text, or the raw bytes a browser hands
over) into a :class:`~synthlearn.table.Table`, inferring each column's kind, and refuses
anything it cannot read with one :class:`~synthlearn.errors.InputError` sentence that
names the line or column. :func:`write_csv` writes a table back so that reading it
again gives the same table.

How a cell is read
------------------
* The bytes are UTF-8 (a BOM is allowed); a file that is not is read as Windows-1252 (or
  Latin-1), the encoding of Excel's plain "CSV" on Western systems, and a warning says so.
* Spaces around a cell are stripped; the delimiter is sniffed among ``, ; tab |``.
* Missing: an empty cell or ``NA``, ``N/A``, ``NaN``, ``null``, ``None``, ``?``
  (any case). A missing cell stays missing (``NaN``); no row is ever dropped.
* A column's kind is the first of these that fits every non-missing cell:

  - **boolean**: only ``true``/``false``, or only ``yes``/``no`` (either may be
    absent); or both ``t`` and ``f``, or both ``y`` and ``n``. ``0``/``1`` is boolean only
    when the column's name says so (``is_…``, ``has_…``, ``…_flag``, ``isActive``…);
    otherwise it is an integer. The categories are the spellings found, false first.
  - **integer**: whole numbers without a decimal point or exponent (``-12``, ``+3``).
  - **numeric**: decimal numbers (``3.5``, ``.5``, ``1e-3``). There is no thousands
    separator and no decimal comma: ``1,234`` or ``1,5`` make a column categorical
    (and a warning says why).
  - **datetime**: ISO 8601 dates ``2024-05-31`` or date-times
    ``2024-05-31 14:30[:00[.123]]`` (``T`` or a space; ``Z`` or ``+02:00`` allowed;
    a time without zone is taken as UTC).
  - **categorical**: anything else, with categories sorted (numerically when
    every category is a number).

  Numbers with a leading zero (``007``, ``02134``) and whole numbers beyond 2**53 are
  codes, not quantities: their column is categorical so that no digit is lost.
  A column with no value at all is categorical with no categories.
* ``kinds={"col": "categorical", ...}`` overrides the inference for some columns.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gzip
import io
import itertools
import math
import os
import re
from array import array
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from .errors import InputError
from .table import DAY, KINDS, MAX_ABS, TOO_LARGE, Column, Table, ValueFormat

__all__ = [
    "MISSING_TOKENS",
    "ReadResult",
    "FORMULA_NOTE",
    "check_label",
    "is_binary_number",
    "label_as_category",
    "column_issues",
    "formula_cells",
    "profile",
    "read_csv",
    "write_csv",
]

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
DELIMITERS = (",", ";", "\t", "|")

_INT_RE = re.compile(r"[+-]?\d+\Z")
_NUM_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_LEADING_ZERO_RE = re.compile(r"[+-]?0\d")
_COMMA_NUM_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+,\d+)\Z")
_DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\Z")
_BOOL_NAME_RE = re.compile(
    r"(?i:^(?:is|has|have|was|were|can|did|does|do|should|will)(?:_|$)|(?:^|_)(?:flag|bool|boolean|yn)$)"
    r"|^(?:is|has|was|can|did|does|should)[A-Z0-9]")
_HTML_RE = re.compile(r"<(?:!doctype|!--|\?xml|[a-zA-Z][a-zA-Z0-9-]*(?:\s[^>]*)?/?>)", re.IGNORECASE)

_TRUE = ("true", "yes", "t", "y", "1")
_FALSE = ("false", "no", "f", "n", "0")
_PARTNER = dict(zip(_TRUE, _FALSE)) | dict(zip(_FALSE, _TRUE))

_SPREADSHEET = "Open it in your spreadsheet program and save it as 'CSV UTF-8'."
_NOT_DATA = "Choose the CSV file of your table instead."
_MAGIC = (
    (b"\x89PNG", "a PNG image", _NOT_DATA),
    (b"\xff\xd8\xff", "a JPEG image", _NOT_DATA),
    (b"GIF8", "a GIF image", _NOT_DATA),
    (b"%PDF", "a PDF document", _NOT_DATA),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx or LibreOffice .ods file is one)",
     "If it is a spreadsheet, open it and save it as 'CSV UTF-8'; otherwise unzip it and choose the CSV file."),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls file", _SPREADSHEET),
    (b"PAR1", "a Parquet file", "Export it as CSV first (pandas: read_parquet(...).to_csv(..., index=False))."),
    (b"SQLite format 3", "an SQLite database", "Export the table as CSV first."),
    (b"BZh", "a bzip2 archive", "Unpack it and choose the CSV file."),
    (b"7z\xbc\xaf", "a 7-Zip archive", "Unpack it and choose the CSV file."),
)
_EPOCH = _dt.datetime(1970, 1, 1)
_CHUNK = 8192
_MAX_EXACT_INT = 2 ** 53


@dataclass
class ReadResult:
    """What :func:`read_csv` returns: the table, the delimiter found and the warnings."""

    table: Table
    warnings: list[str] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    delimiter: str = ","

    def to_dict(self) -> dict:
        """JSON-able summary (schema, warnings, issues; not the values)."""
        return {
            "n_rows": self.table.n_rows,
            "n_cols": self.table.n_cols,
            "delimiter": self.delimiter,
            "warnings": list(self.warnings),
            "issues": [dict(i) for i in self.issues],
            "schema": self.table.schema(),
        }


# ------------------------------------------------------------------------------------
# reading
# ------------------------------------------------------------------------------------
def read_csv(source: str | bytes | bytearray | memoryview | os.PathLike, *,
             kinds: dict[str, str] | None = None,
             max_rows: int = 200_000, max_cells: int = 5_000_000, max_bytes: int = 100 * 1024 * 1024,
             delimiter: str | None = None, missing_tokens: Iterable[str] | None = None) -> ReadResult:
    """Read a CSV file into a :class:`Table` (see the module docstring for the rules).

    ``source`` is a path, the CSV text itself, or raw bytes (UTF-8, with or without a
    BOM; gzip-compressed bytes are unpacked). A ``str`` without a line break that names
    an existing file is read as a path. ``kinds`` forces the kind of some columns;
    ``delimiter`` skips sniffing; ``missing_tokens`` replaces the set of (lower-case)
    texts read as missing (the empty cell is always missing). Errors in the file raise
    :class:`InputError` whose ``row`` is the 1-based line number.
    """
    for label, limit in (("max_rows", max_rows), ("max_cells", max_cells), ("max_bytes", max_bytes)):
        if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
            raise InputError(f"{label} must be a whole number of at least 1, not {limit!r}.")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                  or delimiter in "\"\r\n"):
        raise InputError(f"The delimiter must be one character such as ',' or ';', not {delimiter!r}.")
    missing = MISSING_TOKENS if missing_tokens is None else frozenset(
        {str(t).strip().lower() for t in missing_tokens} | {""})
    text, encoding_note = _source_text(source, max_bytes)
    _refuse_non_csv(text)
    delim = delimiter or _sniff(text)
    header, header_line, ids, uniques, lines = _parse(text, delim, int(max_rows), int(max_cells))
    names = _check_header(header, header_line, ids, uniques)
    kinds = _check_kinds(kinds, names)
    columns = [_build_column(name, ids[j], uniques[j], lines, kinds.get(name), missing)
               for j, name in enumerate(names)]
    table = Table(tuple(columns))
    issues = column_issues(table)
    warnings = ([encoding_note] if encoding_note else []) + [i["message"] for i in issues]
    return ReadResult(table=table, warnings=warnings, issues=issues, delimiter=delim)


def _fmt_size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.1f} kB" if n >= 1024 else f"{n} bytes"


def _source_text(source: object, max_bytes: int) -> tuple[str, str | None]:
    """The decoded text of ``source`` (path, text or bytes), within ``max_bytes``, and a note
    when it was not UTF-8."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _decode(bytes(source), max_bytes)
    if isinstance(source, str):
        if "\n" not in source and "\r" not in source:
            if source.strip() and "\x00" not in source and os.path.isfile(source):
                return _read_path(source, max_bytes)
            if re.search(r"\.(csv|tsv|txt|gz|dat)\Z", source.strip(), re.IGNORECASE) and not any(
                    d in source for d in DELIMITERS):
                raise InputError(f"No file named '{source}' was found.")
        if len(source) > max_bytes or (len(source) * 4 > max_bytes and len(source.encode("utf-8")) > max_bytes):
            raise InputError(f"The text is larger than {_fmt_size(max_bytes)}, the most this page reads: "
                             "use a sample of the rows.")
        return (source[1:] if source.startswith("\ufeff") else source), None
    if isinstance(source, os.PathLike):
        return _read_path(os.fspath(source), max_bytes)
    raise InputError(f"Give a file path, the CSV text or its bytes, not a {type(source).__name__}.")


def _read_path(path: str | bytes, max_bytes: int) -> tuple[str, str | None]:
    path = os.fsdecode(path)
    if not os.path.exists(path):
        raise InputError(f"No file named '{path}' was found.")
    if os.path.isdir(path):
        raise InputError(f"'{path}' is a folder, not a CSV file.")
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputError(f"The file is {_fmt_size(size)}; the most this page reads is {_fmt_size(max_bytes)}: "
                         "use a sample of the rows.")
    with open(path, "rb") as fh:
        return _decode(fh.read(), max_bytes)


def _decode(data: bytes, max_bytes: int) -> tuple[str, str | None]:
    """Check the size and the magic bytes, unpack gzip, decode UTF-8 (BOM optional) or, failing
    that, Windows-1252 (Excel's "CSV" on Western systems) or Latin-1; a note says which."""
    if len(data) > max_bytes:
        raise InputError(f"The file is {_fmt_size(len(data))}; the most this page reads is {_fmt_size(max_bytes)}: "
                         "use a sample of the rows.")
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(max_bytes + 1)
        except (OSError, EOFError) as exc:
            raise InputError(f"The file looks gzip-compressed but cannot be unpacked ({exc}).") from None
        if len(data) > max_bytes:
            raise InputError(f"Unpacked, the file is larger than {_fmt_size(max_bytes)}, the most this page reads: "
                             "use a sample of the rows.")
    for magic, what, todo in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"This is {what}, not a CSV file. {todo}")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError("The file is saved as UTF-16 text. Save it as 'CSV UTF-8' and try again.")
    if b"\x00" in data[:65536]:
        raise InputError("The file holds binary data (NUL bytes), so it is not a CSV text file. " + _SPREADSHEET)
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line = data.count(b"\n", 0, offset) + 1
    for codec, name in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO 8859-1)")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return text, (f"The file is not UTF-8 (byte 0x{data[offset]:02X} on line {line} is not valid UTF-8), so it "
                      f"was read as {name}, the usual encoding of Excel's CSV files: check that accented letters "
                      "look right, or save the file as 'CSV UTF-8'.")
    raise AssertionError("Latin-1 decodes every byte")  # pragma: no cover


def _refuse_non_csv(text: str) -> None:
    """Refuse empty text, binary text, HTML/XML pages and JSON."""
    head = text.lstrip()[:4096]
    if not head:
        raise InputError("The file is empty: there is no header and no data.")
    if "\x00" in text[:65536]:
        raise InputError("The text holds NUL characters, so it is not a CSV file. " + _SPREADSHEET)
    if head.startswith("<") and _HTML_RE.match(head):
        raise InputError("This looks like an HTML or XML page, not a CSV file: did you save a web page instead of "
                         "downloading the data? " + _NOT_DATA)
    if re.match(r"(?:\{\s*[\"}]|\[\s*[\[{\"])", head):
        raise InputError("This looks like JSON, not CSV: convert it to a table with one header row and one line "
                         "per record.")


def _sniff(text: str) -> str:
    """The delimiter among , ; tab | that splits the first lines most consistently."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_key = ",", None
    for rank, d in enumerate(DELIMITERS):
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=d)
            rows = list(itertools.islice((r for r in reader if any(c.strip() for c in r)), 50))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows[1:]) / max(1, len(rows) - 1)
        key = (round(consistent, 3), -rank)
        if best_key is None or key > best_key:
            best, best_key = d, key
    return best


def _parse(text: str, delim: str, max_rows: int, max_cells: int):
    """Header, per-column arrays of ids into per-column unique raw texts, and line numbers."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    header: list[str] | None = None
    header_line = 0
    lines = array("l")
    try:
        for row in reader:
            if row:  # skip empty lines above the header
                header, header_line = row, reader.line_num
                break
        if header is None:
            raise InputError("The file is empty: there is no header and no data.")
        ncols = len(header)
        cap = min(max_rows, max_cells // ncols)
        index: list[dict[str, int]] = [{} for _ in range(ncols)]
        counters = [itertools.count() for _ in range(ncols)]
        chunks: list[list[np.ndarray]] = [[] for _ in range(ncols)]
        chunk: list[list[str]] = []
        n = 0
        for row in reader:
            if len(row) != ncols:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # a blank line
                line = reader.line_num
                raise InputError(
                    f"Line {line} has {len(row)} field{'s' if len(row) != 1 else ''} but the header has {ncols}: "
                    f"check that line for a missing or extra '{_show_delim(delim)}' or an unclosed quote.", row=line)
            n += 1
            if n > cap:
                if cap == max_rows:
                    raise InputError(f"The file has more than {max_rows:,} data rows, the most this page handles: "
                                     "use a random sample of the rows.", row=reader.line_num)
                raise InputError(f"The file has more than {max_cells:,} cells ({ncols} columns x more than "
                                 f"{cap:,} rows), the most this page handles: use fewer rows or columns.",
                                 row=reader.line_num)
            chunk.append(row)
            lines.append(reader.line_num)
            if len(chunk) == _CHUNK:
                _flush(chunk, index, counters, chunks)
                chunk = []
        if chunk:
            _flush(chunk, index, counters, chunks)
    except csv.Error as exc:
        line = (int(lines[-1]) if len(lines) else header_line) + 1 if header is not None else 1
        msg = str(exc)
        if "end of data" in msg:
            hint = "a quote opened there is never closed"
        elif "expected after" in msg:
            hint = 'a quote inside a quoted cell must be doubled ("")'
        elif "field limit" in msg:
            hint = "a cell is longer than 131,072 characters, so this is probably not a CSV file"
        else:
            hint = msg
        raise InputError(f"The record starting on line {line} cannot be read as CSV: {hint}.", row=line) from None
    if n == 0:
        raise InputError("The file has a header row but no data rows.", row=header_line)
    ids = [np.concatenate(c) for c in chunks]
    return header, header_line, ids, index, np.frombuffer(lines, dtype=lines.typecode).astype(np.int64)


def _flush(chunk: list[list[str]], index: list[dict[str, int]], counters: list[itertools.count],
           chunks: list[list[np.ndarray]]) -> None:
    """Replace each cell of a chunk of rows by the id of its text in its column.

    A text gets the id it was first given (ids are sparse: a new text takes the
    column's next counter value), all in C through ``map(dict.setdefault, ...)``.
    """
    for j, col in enumerate(zip(*chunk)):
        chunks[j].append(np.fromiter(map(index[j].setdefault, col, counters[j]), dtype=np.intp, count=len(col)))


def _show_delim(d: str) -> str:
    return "\\t" if d == "\t" else d


def _check_header(header: list[str], line: int, ids: list[np.ndarray], uniques: list[dict[str, int]]) -> list[str]:
    names = [h.strip() for h in header]
    if names and all(_NUM_RE.match(n) for n in names):
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise InputError(f"The first row ({shown}) looks like data, not column names: add a header row that names "
                         "each column.", row=line)
    for j, name in enumerate(names):
        if not name:
            if j == 0 and len(names) > 1 and _looks_like_row_index(ids[0], uniques[0]):
                raise InputError("The first column has no name and numbers the rows 0, 1, 2, ...: it looks like a "
                                 "row index saved by pandas (to_csv(index=False) leaves it out); remove it or give "
                                 "it a name.", column="", row=line)
            raise InputError(f"Column {j + 1} has no name in the header row: give every column a name.",
                             column="", row=line)
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name in seen:
            raise InputError(f"The column name '{name}' appears twice in the header (columns {seen[name] + 1} and "
                             f"{j + 1}): rename one of them.", column=name, row=line)
        seen[name] = j
    return names


def _looks_like_row_index(ids: np.ndarray, uniques: dict[str, int]) -> bool:
    """Whether a column's texts are consecutive whole numbers, each once, in order."""
    if len(uniques) != ids.size or not all(_INT_RE.match(u.strip()) and len(u) < 20 for u in uniques):
        return False
    vals = np.array([int(u) for u in uniques])  # in order of first appearance = row order here
    return bool(np.array_equal(vals, np.arange(vals[0], vals[0] + vals.size)))


def _check_kinds(kinds: dict[str, str] | None, names: list[str]) -> dict[str, str]:
    if kinds is None:
        return {}
    if not isinstance(kinds, dict):
        raise InputError("kinds must be a dict such as {'age': 'integer'}.")
    for name, kind in kinds.items():
        if name not in names:
            raise InputError(f"kinds names a column '{name}' that is not in the file (columns: {', '.join(names)}).",
                             column=str(name))
        if kind not in KINDS:
            raise InputError(f"Column '{name}': unknown kind {kind!r} (use one of {', '.join(KINDS)}).", column=name)
    return dict(kinds)


# ------------------------------------------------------------------------------------
# kinds
# ------------------------------------------------------------------------------------
def _is_code(t: str) -> bool:
    """A number-looking text that is an identifier: a leading zero, or a whole number
    too large for a float to hold exactly."""
    if not _NUM_RE.match(t):
        return False
    if _LEADING_ZERO_RE.match(t):
        return True
    digits = t.lstrip("+-")
    return bool(_INT_RE.match(t)) and (len(digits) > 16 or int(digits) > _MAX_EXACT_INT)


def _parse_datetime(t: str) -> float | None:
    if not _DATE_RE.match(t):
        return None
    try:
        moment = _dt.datetime.fromisoformat(t[:-1] + "+00:00" if t.endswith("Z") else t)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return (moment - _EPOCH).total_seconds()


def infer_kind(name: str, tokens: Iterable[str]) -> str:
    """The kind :func:`read_csv` infers for a column ``name`` with these distinct, stripped,
    non-missing texts (see the module docstring)."""
    toks = set(tokens)
    if not toks:
        return "categorical"
    low = {t.lower() for t in toks}
    if (low <= {"true", "false"} or low <= {"yes", "no"} or low == {"t", "f"} or low == {"y", "n"}
            or (low == {"0", "1"} and _BOOL_NAME_RE.search(name))):
        return "boolean"
    if any(_is_code(t) for t in toks):
        return "categorical"
    if all(_INT_RE.match(t) for t in toks):
        return "integer"
    if all(_NUM_RE.match(t) and math.isfinite(float(t)) for t in toks):
        return "numeric"
    if all(_parse_datetime(t) is not None for t in toks):
        return "datetime"
    return "categorical"


def _category_order(cats: Iterable[str]) -> list[str]:
    cats = list(cats)
    if cats and all(_NUM_RE.match(c) for c in cats):
        return sorted(cats, key=lambda c: (float(c), c))
    return sorted(cats)


def _build_column(name: str, ids: np.ndarray, uniques: dict[str, int], lines: np.ndarray, kind: str | None,
                  missing: frozenset[str]) -> Column:
    """One column from its cell ids, the id of each distinct raw text, and an optional forced kind."""
    raw = list(uniques)
    uid = np.fromiter(uniques.values(), dtype=np.intp, count=len(raw))
    stripped = [u.strip() for u in raw]
    is_missing = [s.lower() in missing for s in stripped]
    present = {s for s, m in zip(stripped, is_missing) if not m}
    kind = kind or infer_kind(name, present)
    found = np.full(len(raw), np.nan)  # the value of each distinct raw text

    def bad(s: str, expected: str) -> InputError:
        first = next(i for i, (t, m) in enumerate(zip(stripped, is_missing)) if t == s and not m)
        line = int(lines[int(np.argmax(ids == uid[first]))])
        return InputError(f"Column '{name}' is declared {kind} but line {line} holds '{s}', which is not "
                          f"{expected}.", column=name, row=line)

    def finish(**extra) -> Column:
        lut = np.full(int(uid.max()) + 1 if uid.size else 0, np.nan)
        lut[uid] = found
        return Column(name, kind, lut[ids], **extra)

    if kind in ("categorical", "boolean"):
        if kind == "boolean":
            counts = np.bincount(ids, minlength=int(uid.max()) + 1)[uid]
            cats = _boolean_categories(stripped, is_missing, counts, bad)
            code = {s: float(s.lower() in _TRUE) for s in present}
        else:
            cats = _category_order(present)
            code = {c: float(i) for i, c in enumerate(cats)}
        for i, (s, m) in enumerate(zip(stripped, is_missing)):
            if not m:
                found[i] = code[s]
        return finish(categories=tuple(cats))
    if kind in ("integer", "numeric"):
        for i, (s, m) in enumerate(zip(stripped, is_missing)):
            if m:
                continue
            if not _NUM_RE.match(s):
                raise bad(s, "a number")
            v = float(s)
            if not math.isfinite(v):
                raise bad(s, "a finite number")
            if kind == "integer" and not v.is_integer():
                raise bad(s, "a whole number")
            if abs(v) > MAX_ABS:
                line = bad(s, "").row
                raise InputError(f"Column '{name}', line {line} holds {s}: {TOO_LARGE}.", column=name, row=line)
            found[i] = v
        texts = [s for s, m in zip(stripped, is_missing) if not m]
        return finish(fmt=number_format(texts, found[~np.isnan(found)]) if kind == "numeric" else None)
    # datetime
    for i, (s, m) in enumerate(zip(stripped, is_missing)):
        if m:
            continue
        v = _parse_datetime(s)
        if v is None:
            raise bad(s, "an ISO 8601 date such as 2024-05-31 or 2024-05-31 14:30:00")
        found[i] = v
    return finish(fmt=datetime_format(s for s, m in zip(stripped, is_missing) if not m))


def number_format(texts: Iterable[str], values: np.ndarray) -> ValueFormat:
    """The :class:`ValueFormat` of a numeric column written as ``texts`` (its ``values`` parsed)."""
    decimals: int | None = 0
    for t in texts:
        if "e" in t or "E" in t:
            decimals = None
            break
        point = t.find(".")
        if point >= 0:
            decimals = max(decimals, len(t) - point - 1)
    if decimals is not None and decimals > ValueFormat.MAX_DECIMALS:
        decimals = None
    whole = bool(values.size) and bool(np.all(values == np.round(values)))
    return ValueFormat(decimals=decimals, whole=whole)


_TIME_RE = re.compile(r"[T ]\d{2}:\d{2}(?P<sec>:\d{2}(?:\.(?P<frac>\d+))?)?")


def datetime_format(texts: Iterable[str]) -> ValueFormat:
    """The :class:`ValueFormat` of a datetime column written as ``texts``: its finest unit."""
    unit = DAY
    for t in texts:
        m = _TIME_RE.search(t)
        if m is None:
            continue
        step = 10.0 ** -len(m.group("frac")) if m.group("frac") else 1.0 if m.group("sec") else 60.0
        unit = min(unit, step)
    return ValueFormat(unit=unit)


def _boolean_categories(stripped, is_missing, counts, bad) -> tuple[str, str]:
    """(false spelling, true spelling): the most frequent spelling of each truth value."""
    best: dict[bool, tuple[int, str]] = {}
    for s, m, n in zip(stripped, is_missing, counts):
        if m:
            continue
        low = s.lower()
        if low not in _PARTNER:
            raise bad(s, "true/false, yes/no, t/f, y/n or 1/0")
        truth = low in _TRUE
        if truth not in best or n > best[truth][0]:
            best[truth] = (int(n), s)
    if not best:
        return ("False", "True")
    for truth in (False, True):
        if truth not in best:
            model = best[not truth][1]
            word = _PARTNER[model.lower()]
            word = word.upper() if model.isupper() else word.capitalize() if model[:1].isupper() else word
            best[truth] = (0, word)
    return (best[False][1], best[True][1])


# ------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_NOTE = ("Cells starting with =, +, -, @, a tab or a carriage return were prefixed with a single quote (') "
                "so that a spreadsheet program shows them as text instead of running them as formulas "
                "(CSV injection, OWASP); numbers are not changed.")


def _is_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (a plain number such as -3.5 cannot)."""
    return text.startswith(FORMULA_STARTS) and not _NUM_RE.match(text)


def _neutralise(texts: list[str]) -> list[str]:
    return ["'" + t if _is_formula(t) else t for t in texts]


def formula_cells(table: Table) -> int:
    """How many cells (header included) ``write_csv(..., neutralise_formulas=True)`` prefixes."""
    n = sum(_is_formula(name) for name in table.names)
    for col in table.columns:
        if col.is_discrete and col.categories:
            bad = np.array([_is_formula(c) for c in col.categories])
            if bad.any():
                codes = col.values[~col.missing].astype(np.intp)
                n += int(bad[codes].sum())
    return n


def write_csv(table: Table, *, delimiter: str = ",", neutralise_formulas: bool = False) -> str:
    """The table as CSV text (header, then one line per row; a missing value is an empty cell).

    ``neutralise_formulas=True`` (what the page's download and the CLI use by default) prefixes
    with ``'`` every text cell and column name that starts with ``= + - @``, a tab or a carriage
    return and is not a plain number, so that a spreadsheet does not run it as a formula
    (OWASP "CSV injection"); see :data:`FORMULA_NOTE`. Numeric, integer and datetime columns
    hold only numbers and dates and are never changed. The round trip below needs the default
    ``False``.

    Numbers and datetimes are written in the format their column was read in (the source's
    decimals, whole numbers as whole numbers, dates as dates; see
    :class:`~synthlearn.table.ValueFormat`), otherwise with full precision; datetimes as
    ISO 8601 (UTC). So
    ``read_csv(write_csv(t), kinds={c.name: c.kind for c in t.columns})`` equals ``t``
    (and so does plain ``read_csv(write_csv(t))`` when ``t`` came from :func:`read_csv`).
    """
    if not isinstance(table, Table):
        raise InputError(f"write_csv needs a Table, not a {type(table).__name__}.")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")  # CRLF also quotes a lone \r
    if neutralise_formulas not in (True, False):
        raise InputError(f"neutralise_formulas must be True or False, not {neutralise_formulas!r}.")
    fix = _neutralise if neutralise_formulas else (lambda texts: texts)
    writer.writerow(fix(table.names))
    if table.n_cols:
        writer.writerows(zip(*(fix(_column_strings(c)) if c.is_discrete else _column_strings(c)
                               for c in table.columns)))
    return buf.getvalue()


def _column_strings(col: Column) -> list[str]:
    values = col.values
    miss = np.isnan(values)
    if col.is_discrete:
        k = len(col.categories)
        labels = np.array(list(col.categories) + [""], dtype=object)
        codes = np.where(miss, k, np.clip(np.nan_to_num(np.round(values)), 0, max(k - 1, 0))).astype(np.intp)
        if k == 0:
            codes[:] = 0
        return labels[codes].tolist()
    if col.kind == "integer":
        ints = np.round(np.where(miss, 0.0, values)).astype(np.int64).tolist()
        return ["" if m else str(v) for v, m in zip(ints, miss.tolist())]
    if col.kind == "numeric":
        return ["" if v != v else repr(v) for v in values.tolist()]  # conform() rounded them to the format
    fmt = col.fmt or ValueFormat()
    out = []
    for v in values.tolist():
        if v != v:
            out.append("")
            continue
        try:
            moment = _EPOCH + _dt.timedelta(seconds=v)
        except OverflowError:
            raise InputError(f"Column '{col.name}' holds a date outside the years 1 to 9999.",
                             column=col.name) from None
        out.append(fmt.moment_text(moment))
    return out


# ------------------------------------------------------------------------------------
# describing
# ------------------------------------------------------------------------------------
def _distinct(col: Column) -> tuple[np.ndarray, np.ndarray]:
    """(distinct non-missing values, their counts)."""
    vals = col.values[~col.missing]
    return np.unique(vals, return_counts=True)


def column_issues(table: Table) -> list[dict]:
    """Columns a synthesizer will treat specially: all missing, constant, identifier-like,
    very many categories, a row number, or numbers written with commas.

    Each item is ``{"column", "issue", "message", ...}`` (JSON-able); ``message`` says what
    will happen. These are warnings, not errors.
    """
    out: list[dict] = []
    for col in table.columns:
        n = len(col)
        present = int(n - col.missing.sum())
        if n == 0:
            continue
        if present == 0:
            out.append({"column": col.name, "issue": "all_missing",
                        "message": f"Column '{col.name}' is empty in every row: it will be copied as all-missing "
                                   "and ignored by the models and metrics."})
            continue
        values, counts = _distinct(col)
        k = int(values.size)
        if k == 1 and present >= 2:
            shown = col.format_value(float(values[0]))
            where = "every row" if present == n else f"every non-missing row ({1 - present / n:.0%} missing)"
            out.append({"column": col.name, "issue": "constant", "value": shown,
                        "message": f"Column '{col.name}' has a single value '{shown}' in {where}: it will be "
                                   "copied as a constant and ignored by correlation metrics."})
            continue
        if col.kind == "categorical":
            if present >= 20 and k / present > 0.5:
                out.append({"column": col.name, "issue": "identifier", "n_distinct": k,
                            "message": f"Column '{col.name}' has {k:,} distinct values in {present:,} rows, like an "
                                       "identifier or free text: a synthesizer can only copy such values (which "
                                       "leaks real records) or invent noise; consider dropping it."})
            elif k > 1000:
                out.append({"column": col.name, "issue": "many_categories", "n_distinct": k,
                            "message": f"Column '{col.name}' has {k:,} categories: rare ones are hard to learn and "
                                       "slow to model; consider grouping them."})
            out.extend(_format_hints(col))
        elif col.kind == "integer" and present >= 20 and k == present and values[-1] - values[0] == k - 1 \
                and present == n:
            out.append({"column": col.name, "issue": "row_index",
                        "message": f"Column '{col.name}' numbers the rows ({col.format_value(float(values[0]))} to "
                                   f"{col.format_value(float(values[-1]))}, each once): it says nothing about the "
                                   "records; consider dropping it."})
    return out


_DECIMAL_COMMA_RE = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+\Z")   # 1,5  12,75  1.234,56
_DAY_FIRST_RE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\Z")


def _format_hints(col: Column) -> list[dict]:
    """Hints for a categorical column that holds numbers with commas or day-first dates."""
    cats = col.categories
    if not cats:
        return []
    if all(_COMMA_NUM_RE.match(c) or _DECIMAL_COMMA_RE.match(c) or _INT_RE.match(c) for c in cats):
        decimal = next((c for c in cats if _DECIMAL_COMMA_RE.match(c) and not re.fullmatch(
            r"[+-]?\d{1,3}(?:,\d{3})+", c)), None)
        example = decimal or next((c for c in cats if _COMMA_NUM_RE.match(c)), None)
        if example is not None:
            how = (f"with decimal commas (such as '{example}')" if decimal else
                   f"with commas (such as '{example}')")
            return [{"column": col.name, "issue": "comma_numbers",
                     "message": f"Column '{col.name}' holds numbers written {how}, so it was read as categorical: "
                                "save numbers with a decimal point and no thousands separator (in a spreadsheet, "
                                "set the language of the column to English before saving as CSV), or drop it."}]
    if all(_DAY_FIRST_RE.match(c) for c in cats):
        example = cats[0]
        return [{"column": col.name, "issue": "day_first_dates",
                 "message": f"Column '{col.name}' holds dates written like '{example}' (day or month first), so it "
                            "was read as categorical: save dates as ISO 8601, year first (2024-05-31), to use "
                            "them as dates."}]
    return []


def profile(table: Table, n_examples: int = 3) -> list[dict]:
    """Per column: name, kind, missing share and count, number of distinct values and a
    few example values as text (the most frequent categories; the first distinct values
    otherwise). JSON-able, for a schema view."""
    if isinstance(n_examples, bool) or not isinstance(n_examples, (int, np.integer)) or n_examples < 0:
        raise InputError(f"n_examples must be a whole number of at least 0, not {n_examples!r}.")
    out = []
    for col in table.columns:
        n_missing = int(col.missing.sum())
        if col.is_discrete:
            codes = col.values[~col.missing].astype(np.intp)
            counts = np.bincount(codes, minlength=len(col.categories))
            order = [int(i) for i in np.argsort(-counts, kind="stable") if counts[i] > 0]
            n_distinct = len(order)
            examples = [col.categories[i] for i in order[:n_examples]]
        else:
            vals = col.values[~col.missing]
            uniq, first = np.unique(vals, return_index=True)
            n_distinct = int(uniq.size)
            examples = [col.format_value(float(vals[i])) for i in np.sort(first)[:n_examples]]
        item = {"name": col.name, "kind": col.kind, "missing_share": round(col.missing_share, 6),
                "n_missing": n_missing, "n_distinct": n_distinct, "examples": examples}
        out.append(item)
    return out


def check_label(table: Table, label: str) -> Column:
    """The label column, or an :class:`InputError` if it is absent, empty or constant."""
    if not isinstance(label, str) or not label:
        raise InputError("Choose a label column (the column a model should predict).")
    if label not in table:
        raise InputError(f"There is no column named '{label}' to use as the label (columns: "
                         f"{', '.join(table.names)}).", column=label)
    col = table[label]
    if int((~col.missing).sum()) == 0:
        raise InputError(f"The label column '{label}' is empty in every row: choose another label.", column=label)
    if np.unique(col.values[~col.missing]).size < 2:
        raise InputError(f"The label column '{label}' has a single value: a model cannot learn to predict it; "
                         "choose another label.", column=label)
    return col


def is_binary_number(col: Column) -> bool:
    """Whether a number column holds exactly two whole values (a 0/1 flag is the usual case)."""
    if col.is_discrete or col.kind == "datetime":
        return False
    present = np.unique(col.values[~col.missing])
    return present.size == 2 and bool(np.all(present == np.round(present)))


def label_as_category(table: Table, label: str | None, reference: Table | None = None) -> Table:
    """``table`` with a two-valued whole-number ``label`` column (``0``/``1``) made categorical.

    A classifier's label must be categorical; a 0/1 column read as integer is one in all but
    its kind. Its categories are the values' texts (``"0"``, ``"1"``), so the CSV text is
    unchanged. With ``reference`` (the real table), its two values define the categories, so a
    synthetic or holdout table maps the same way (another value becomes missing). Any other
    table is returned as it is.
    """
    ref = table if reference is None else reference
    if label is None or label not in table or label not in ref or not is_binary_number(ref[label]):
        return table
    col = table[label]
    if col.is_discrete or col.kind == "datetime":
        return table
    present = np.unique(ref[label].values[~ref[label].missing])
    cats = tuple(ref[label].format_value(float(v)) for v in present)
    codes = np.full(len(col), np.nan)
    for i, v in enumerate(present):
        codes[col.values == v] = i
    return table.with_columns([Column(col.name, "categorical", codes, categories=cats)])

"""Tests for synthlearn.csvio: reading, kinds, bad input, round trips, profiles.

References: pandas.read_csv (an independent CSV parser) for values and missing
shares, datetime.fromisoformat / pandas.to_datetime for timestamps, and the csv
module for files written independently of write_csv.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import pathlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthlearn.csvio import (MISSING_TOKENS, ReadResult, check_label, column_issues, infer_kind, profile,
                              read_csv, write_csv)
from synthlearn.errors import InputError
from synthlearn.table import MAX_ABS, Column, Table


# ----------------------------------------------------------------------------- helpers
def assert_same_table(a: Table, b: Table) -> None:
    """Strict equality: names, kinds, categories, bounds and values (NaN = NaN)."""
    assert a.names == b.names
    for x, y in zip(a.columns, b.columns):
        assert x.kind == y.kind, x.name
        assert x.categories == y.categories, x.name
        assert x.bounds == y.bounds, x.name
        assert np.array_equal(x.values, y.values, equal_nan=True), x.name


def labels(col: Column) -> list:
    """Decoded values: category text, a float, or None when missing."""
    if col.is_discrete:
        return [None if np.isnan(v) else col.categories[int(v)] for v in col.values]
    return [None if np.isnan(v) else float(v) for v in col.values]


def csv_text(header, rows, delimiter=",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


MIXED = """id,age,income,city,member,joined,score
1,34,52000.5,Paris,yes,2021-03-04,0.25
2,NA,61000,Lyon,no,2020-12-31 08:30:00,
3,51,?,Paris,yes,,1e-3
4,29,48000.25,,NO,2019-07-14T23:59:59Z,-2.5
5, 40 ,null,Nice,Yes,2022-01-01,N/A
"""


# ----------------------------------------------------------------------------- basics
def test_mixed_file_kinds_and_values_match_pandas():
    res = read_csv(MIXED)
    t = res.table
    assert isinstance(res, ReadResult)
    assert {c.name: c.kind for c in t.columns} == {
        "id": "integer", "age": "integer", "income": "numeric", "city": "categorical",
        "member": "boolean", "joined": "datetime", "score": "numeric"}
    ref = pd.read_csv(io.StringIO(MIXED), na_values=["?", "null", "N/A", "NA"], skipinitialspace=True)
    for name in ("id", "age", "income", "score"):
        np.testing.assert_array_equal(t[name].values, pd.to_numeric(ref[name]).to_numpy(dtype=float))
    # categories are sorted; missing stays missing
    assert t["city"].categories == ("Lyon", "Nice", "Paris")
    assert labels(t["city"]) == ["Paris", "Lyon", "Paris", None, "Nice"]
    # boolean: false first, the most frequent spelling of each value
    assert t["member"].categories == ("no", "yes")
    assert labels(t["member"]) == ["yes", "no", "yes", "no", "yes"]
    # datetimes are seconds since the epoch, UTC
    expected = pd.to_datetime(["2021-03-04", "2020-12-31 08:30:00", None, "2019-07-14 23:59:59", "2022-01-01"],
                              format="ISO8601")
    secs = np.array([np.nan if pd.isna(x) else (x - pd.Timestamp("1970-01-01")).total_seconds() for x in expected])
    np.testing.assert_array_equal(t["joined"].values, secs)
    # domains
    assert t["age"].bounds == (29.0, 51.0)
    assert t["score"].bounds == (-2.5, 0.25)
    assert t.n_rows == 5


def test_every_missing_token_is_missing_and_no_row_is_dropped():
    tokens = ["", "NA", "n/a", "NaN", "NULL", "none", "?", " na ", "  ", "N/A", "Null", "None", "nan"]
    text = "x,y\n" + "".join(f"{tok},{i}\n" for i, tok in enumerate(tokens)) + "7,99\n"
    t = read_csv(text).table
    assert t.n_rows == len(tokens) + 1
    assert t["x"].kind == "integer"
    assert np.isnan(t["x"].values[:-1]).all() and t["x"].values[-1] == 7
    assert labels(t["y"])[:3] == [0.0, 1.0, 2.0]
    assert {m for m in MISSING_TOKENS} >= {"na", "n/a", "nan", "null", "none", "?", ""}


def test_missing_tokens_can_be_replaced():
    t = read_csv("region,n\nNA,1\nEU,2\n", missing_tokens=()).table
    assert t["region"].categories == ("EU", "NA")
    t = read_csv("region,n\n-,1\nEU,2\n", missing_tokens=["-"]).table
    assert labels(t["region"]) == [None, "EU"]


def test_spaces_around_cells_are_stripped():
    t = read_csv("a, b\n x ,  1\ny,2 \n").table
    assert t.names == ["a", "b"]
    assert t["a"].categories == ("x", "y") and t["b"].kind == "integer"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    rows = [["a, b", "1", "x|y"], ["c;d", "2", "z\tw"], ["e", "3", "q"]]
    text = csv_text(["name", "n", "tag"], rows, delimiter=delimiter)
    res = read_csv(text)
    assert res.delimiter == delimiter
    assert res.table.names == ["name", "n", "tag"]
    assert labels(res.table["name"]) == ["a, b", "c;d", "e"]


def test_semicolon_file_with_decimal_commas_is_read_and_warned():
    res = read_csv("a;b\n1,5;x\n2,25;y\n3,0;z\n")
    assert res.delimiter == ";"
    assert res.table["a"].kind == "categorical"
    assert any("'a'" in w and "commas" in w for w in res.warnings)
    assert any(i["issue"] == "comma_numbers" and i["column"] == "a" for i in res.issues)


def test_bytes_with_bom_crlf_and_gzip_and_paths(tmp_path):
    text = "name,value\r\ncafé,1\r\nthé,2\r\n"
    ref = read_csv(text).table
    assert labels(ref["name"]) == ["café", "thé"]
    for source in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), bytearray(text.encode()),
                   memoryview(text.encode()), gzip.compress(text.encode("utf-8")), "\ufeff" + text):
        assert_same_table(read_csv(source).table, ref)
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert_same_table(read_csv(path).table, ref)
    assert_same_table(read_csv(str(path)).table, ref)
    gz = tmp_path / "t.csv.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    assert_same_table(read_csv(gz).table, ref)


def test_quoted_cells_with_newlines_and_quotes():
    text = 'id,note\n1,"line one\nline two"\n2,"say ""hi"""\n'
    t = read_csv(text).table
    assert labels(t["note"]) == ["line one\nline two", 'say "hi"']


# ----------------------------------------------------------------------------- kinds
@pytest.mark.parametrize("name,values,kind", [
    ("x", ["true", "false", "TRUE"], "boolean"),
    ("x", ["yes", "no"], "boolean"),
    ("x", ["Yes", "Yes"], "boolean"),
    ("x", ["t", "f", "t"], "boolean"),
    ("x", ["y", "n"], "boolean"),
    ("x", ["t", "t"], "categorical"),        # a lone letter is not clearly boolean
    ("x", ["0", "1", "1"], "integer"),       # plain 0/1 stays a number ...
    ("is_member", ["0", "1"], "boolean"),    # ... unless the name says it is a flag
    ("hasChildren", ["1", "0"], "boolean"),
    ("smoker_flag", ["0", "1"], "boolean"),
    ("x", ["1", "-2", "+3"], "integer"),
    ("x", ["1", "2.5"], "numeric"),
    ("x", ["1e3", "2"], "numeric"),
    ("x", [".5", "3."], "numeric"),
    ("x", ["007", "12"], "categorical"),     # leading zero: a code
    ("x", ["9007199254740993", "1"], "categorical"),  # beyond 2**53
    ("x", ["1,234", "5"], "categorical"),    # no thousands separators
    ("x", ["inf", "1"], "categorical"),
    ("x", ["1e999", "1"], "categorical"),    # overflows to infinity
    ("x", ["1" * 5000], "categorical"),      # longer than int() accepts
    ("x", ["2024-05-31", "2024-01-01 10:30"], "datetime"),
    ("x", ["2024-05-31T10:30:00.125+02:00", "2024-05-31T10:30:00Z"], "datetime"),
    ("x", ["2024-02-30"], "categorical"),    # not a real date
    ("x", ["31/05/2024"], "categorical"),    # not ISO 8601
    ("x", [], "categorical"),
])
def test_infer_kind_rules(name, values, kind):
    assert infer_kind(name, values) == kind


def test_boolean_categories_keep_spelling_and_fill_the_absent_one():
    t = read_csv("a,b,is_c\nTRUE,Yes,1\nTRUE,Yes,0\n").table
    assert t["a"].categories == ("FALSE", "TRUE") and labels(t["a"]) == ["TRUE", "TRUE"]
    assert t["b"].categories == ("No", "Yes")
    assert t["is_c"].categories == ("0", "1") and labels(t["is_c"]) == ["1", "0"]


def test_numeric_categories_sort_numerically():
    t = read_csv("grade,n\n10,a\n9,b\n100,c\n", kinds={"grade": "categorical"}).table
    assert t["grade"].categories == ("9", "10", "100")


def test_datetimes_match_fromisoformat_in_utc():
    import datetime as dt

    stamps = ["1969-07-20 20:17:40", "2000-02-29", "2024-05-31T10:30:00.125+02:00", "1900-01-01T00:00:01Z"]
    t = read_csv("when\n" + "\n".join(stamps) + "\n").table
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    expected = []
    for s in stamps:
        m = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        m = m if m.tzinfo else m.replace(tzinfo=dt.timezone.utc)
        expected.append((m - epoch).total_seconds())
    assert t["when"].kind == "datetime"
    np.testing.assert_array_equal(t["when"].values, expected)


def test_kinds_override_and_bad_overrides_name_column_and_value():
    t = read_csv("zip,n\n02134,1\n10001,2\n", kinds={"zip": "integer"}).table
    assert labels(t["zip"]) == [2134.0, 10001.0]
    t = read_csv("a\n1\n0\n", kinds={"a": "boolean"}).table
    assert t["a"].kind == "boolean" and labels(t["a"]) == ["1", "0"]
    cases = [
        ({"n": "integer"}, "1", "1.5", "whole number"),
        ({"n": "numeric"}, "1", "abc", "a number"),
        ({"n": "boolean"}, "1", "maybe", "true/false"),
        ({"n": "datetime"}, "2020-01-01", "yesterday", "ISO 8601"),
    ]
    for kinds, good, bad, words in cases:
        with pytest.raises(InputError) as err:
            read_csv(f"n,m\n{good},x\n{bad},y\n", kinds=kinds)
        msg = str(err.value)
        assert "'n'" in msg and f"'{bad}'" in msg and "line 3" in msg and words in msg
        assert err.value.column == "n" and err.value.row == 3
    with pytest.raises(InputError, match="'1e999', which is not a finite number"):
        read_csv("a\n1\n1e999\n", kinds={"a": "numeric"})
    with pytest.raises(InputError, match="'nope'.*not in the file"):
        read_csv("a\n1\n", kinds={"nope": "integer"})
    with pytest.raises(InputError, match="unknown kind 'float'"):
        read_csv("a\n1\n", kinds={"a": "float"})


# ----------------------------------------------------------------------------- bad input
BAD_INPUTS = [
    ("empty", "", "empty", None),
    ("only spaces", "  \n\n \n", "empty", None),
    ("header only", "a,b\n", "no data rows", 1),
    ("numbers as header", "1,2,3\n4,5,6\n", "looks like data", 1),
    ("ragged short", "a,b,c\n1,2,3\n4,5\n6,7,8\n", "Line 3 has 2 fields but the header has 3", 3),
    ("ragged long", "a,b\n1,2\n3,4\n5,6,7\n", "Line 4 has 3 fields but the header has 2", 4),
    ("duplicate names", "a,b,a\n1,2,3\n", "'a' appears twice", 1),
    ("duplicate after strip", "a,b, a\n1,2,3\n", "'a' appears twice", 1),
    ("empty name", "a,,c\n1,2,3\n", "Column 2 has no name", 1),
    ("pandas index", ",a\n0,x\n1,y\n2,z\n", "row index saved by pandas", 1),
    ("unclosed quote", 'a,b\n1,2\n3,"oops\n4,5\n', "line 3", 3),
    ("stray quote", 'a,b\n1,"x"y\n', "doubled", 2),
    ("html", "<!DOCTYPE html>\n<html><body><table></table></body></html>\n", "HTML", None),
    ("html tag", "<table>\n<tr><td>1</td></tr>\n", "HTML", None),
    ("json object", '{"a": 1, "b": [1, 2]}\n', "JSON", None),
    ("json records", '[{"a": 1}, {"a": 2}]', "JSON", None),
    ("json lines", '{"a": 1}\n{"a": 2}\n', "JSON", None),
    ("nul in text", "a,b\n1,\x002\n", "NUL", None),
]


@pytest.mark.parametrize("label,text,words,row", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_text_input(label, text, words, row):
    for source in (text, text.encode("utf-8")):
        with pytest.raises(InputError) as err:
            read_csv(source)
        assert words in str(err.value)
        assert err.value.row == row
        assert str(err.value).strip().endswith((".", "?")) and "\n" not in str(err.value)


@pytest.mark.parametrize("data,words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"PK\x03\x04\x14\x00\x06\x00", "zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel .xls"),
    (b"%PDF-1.7\n", "PDF"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    (b"a,b\n1,2\n\x00\x00\x01\x02", "binary"),
    ("a,b\n1,2\n".encode("utf-16"), "UTF-16"),
    (gzip.compress(b"\x89PNG\r\n\x1a\n"), "PNG image"),
    (b"\x1f\x8b\x08\x00broken", "gzip"),
])
def test_binary_input_is_refused(data, words):
    with pytest.raises(InputError, match=words):
        read_csv(data)


def test_latin1_and_cp1252_files_are_decoded_and_the_reader_told():
    """Issue 10 item 10: Excel's plain "CSV" (Windows-1252) was refused; now it is read, with a note."""
    data = "name,city,price\nAnna,Köln,3 €\nZoë,Lyon,5 €\n".encode("cp1252")
    res = read_csv(data)
    assert res.table["city"].categories == ("Köln", "Lyon") and res.table["name"].categories == ("Anna", "Zoë")
    assert res.table["price"].categories == ("3 €", "5 €")  # 0x80 is the euro sign in Windows-1252
    note = res.warnings[0]
    assert "not UTF-8" in note and "Windows-1252" in note and "line 2" in note and "0xF6" in note
    # Latin-1 bytes that Windows-1252 leaves undefined (0x81) fall back to Latin-1
    res = read_csv("a,b\nx\x81y,1\nz,2\n".encode("latin-1"))
    assert res.table["a"].categories == ("x\x81y", "z") and "Latin-1" in res.warnings[0]
    # UTF-8 files get no such note
    assert not any("UTF-8" in w for w in read_csv("a,b\nKöln,1\nLyon,2\n".encode()).warnings)


def test_limits_state_the_limit():
    text = "a,b\n" + "".join(f"{i},{i}\n" for i in range(30))
    with pytest.raises(InputError, match="more than 20 data rows"):
        read_csv(text, max_rows=20)
    with pytest.raises(InputError, match=r"more than 41 cells \(2 columns x more than 20 rows\)"):
        read_csv(text, max_cells=41)
    with pytest.raises(InputError, match="100 bytes"):
        read_csv(text, max_bytes=100)
    with pytest.raises(InputError, match="100 bytes"):
        read_csv(text.encode(), max_bytes=100)
    assert read_csv(text, max_rows=30, max_cells=60, max_bytes=len(text)).table.n_rows == 30
    big = gzip.compress(("a\n" + "1\n" * 5000).encode())
    with pytest.raises(InputError, match="Unpacked"):
        read_csv(big, max_bytes=2000)
    for bad in (0, -1, 1.5, True, "10"):
        with pytest.raises(InputError, match="max_rows"):
            read_csv(text, max_rows=bad)


def test_file_limits_checked_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a\n" + "1\n" * 1000)
    with pytest.raises(InputError, match="the most this page reads is 1.0 kB"):
        read_csv(path, max_bytes=1024)


def test_missing_paths_and_wrong_types():
    with pytest.raises(InputError, match="No file named 'nowhere.csv'"):
        read_csv("nowhere.csv")
    with pytest.raises(InputError, match="No file named"):
        read_csv(pathlib.Path("/nonexistent/dir/t.csv"))
    with pytest.raises(InputError, match="folder"):
        read_csv(pathlib.Path("/tmp"))
    with pytest.raises(InputError, match="not a int"):
        read_csv(42)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="delimiter"):
        read_csv("a\n1\n", delimiter="ab")


def test_single_column_and_blank_lines():
    t = read_csv("\n\nx\n1\n\n2\n\n").table
    assert t.names == ["x"] and labels(t["x"]) == [1.0, 2.0]
    t = read_csv('x\n1\n""\n3\n').table  # a quoted empty cell is a missing value
    assert labels(t["x"]) == [1.0, None, 3.0]
    t = read_csv("a,b\n1,2\n   \n3,4\n").table  # a line of spaces is blank
    assert t.n_rows == 2


# ----------------------------------------------------------------------------- warnings
def test_column_issues_and_warnings():
    n = 40
    rows = [[f"id{i}", "same", "", i, "x" if i % 2 else "y", i % 7] for i in range(n)]
    res = read_csv(csv_text(["key", "const", "empty", "row", "ab", "k"], rows))
    by = {(i["column"], i["issue"]) for i in res.issues}
    assert by == {("key", "identifier"), ("const", "constant"), ("empty", "all_missing"), ("row", "row_index")}
    assert ("Column 'const' has a single value 'same' in every row: it will be copied as a constant and ignored "
            "by correlation metrics.") in res.warnings
    assert any(w.startswith("Column 'empty' is empty in every row") for w in res.warnings)
    assert len(res.warnings) == len(res.issues) == 4
    # reading does not fail on these columns
    assert res.table["empty"].kind == "categorical" and res.table["empty"].categories == ()
    json.dumps(res.to_dict())


def test_constant_with_missing_and_many_categories():
    cats = [f"c{i}" for i in range(1100)]
    rows = [[c, "a" if j == 0 else ""] for j in range(2) for c in cats]
    issues = column_issues(read_csv(csv_text(["cat", "mostly_empty"], rows)).table)
    kinds = {i["column"]: i["issue"] for i in issues}
    assert kinds == {"cat": "many_categories", "mostly_empty": "constant"}
    msg = next(i["message"] for i in issues if i["column"] == "mostly_empty")
    assert "every non-missing row (50% missing)" in msg
    # tiny tables are not flagged as identifiers
    assert column_issues(read_csv("a,b\nx,1\ny,2\nz,3\n").table) == []


# ----------------------------------------------------------------------------- profile, label
def test_profile_matches_pandas():
    res = read_csv(MIXED)
    prof = profile(res.table, n_examples=2)
    json.dumps(prof)
    ref = pd.read_csv(io.StringIO(MIXED), na_values=["?", "null", "N/A", "NA"], skipinitialspace=True)
    ref["member"] = ref["member"].str.lower()
    for item in prof:
        col = ref[item["name"]]
        assert item["missing_share"] == pytest.approx(col.isna().mean())
        assert item["n_missing"] == int(col.isna().sum())
        if item["name"] != "member":
            assert item["n_distinct"] == col.nunique()
        assert len(item["examples"]) == min(2, item["n_distinct"])
        assert all(isinstance(e, str) for e in item["examples"])
    city = next(p for p in prof if p["name"] == "city")
    assert city["examples"][0] == "Paris"  # the most frequent first
    age = next(p for p in prof if p["name"] == "age")
    assert age["examples"] == ["34", "51"]  # first distinct values, in row order
    with pytest.raises(InputError):
        profile(res.table, n_examples=-1)


def test_check_label():
    t = read_csv("a,b,c,d\n1,x,q,\n2,y,q,\n").table
    assert check_label(t, "b").name == "b"
    with pytest.raises(InputError, match="no column named 'income'.*a, b, c, d") as err:
        check_label(t, "income")
    assert err.value.column == "income"
    with pytest.raises(InputError, match="'c' has a single value"):
        check_label(t, "c")
    with pytest.raises(InputError, match="'d' is empty"):
        check_label(t, "d")
    with pytest.raises(InputError):
        check_label(t, "")


# ----------------------------------------------------------------------------- round trips
def test_round_trip_of_a_read_table_every_kind():
    t = read_csv(MIXED).table
    text = write_csv(t)
    assert_same_table(read_csv(text).table, t)
    assert write_csv(read_csv(text).table) == text


def test_round_trip_of_built_tables_with_kinds():
    rng = np.random.default_rng(3)
    n = 200
    num = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    num[::17] = np.nan
    ints = rng.integers(-2**53, 2**53, n).astype(float)
    ints[::13] = np.nan
    codes = rng.integers(0, 4, n).astype(float)
    codes[::11] = np.nan
    bools = rng.integers(0, 2, n).astype(float)
    bools[::7] = np.nan
    us = rng.integers(-2_208_988_800_000_000, 4_102_444_800_000_000, n)  # 1900 .. 2100, microseconds
    us[::5] = us[::5] // 86_400_000_000 * 86_400_000_000  # some plain dates
    when = us / 1e6
    when[::19] = np.nan
    t = Table((
        Column("num", "numeric", num),
        Column("int", "integer", ints),
        Column("cat", "categorical", codes, categories=("a,b", 'say "hi"', "two\nlines", "plain")),
        Column("flag", "boolean", bools, categories=("False", "True")),
        Column("when", "datetime", when),
    ))
    back = read_csv(write_csv(t), kinds={c.name: c.kind for c in t.columns}).table
    for x, y in zip(t.columns, back.columns):
        assert x.kind == y.kind
        assert labels(x) == labels(y), x.name


def test_write_csv_shapes_and_refusals():
    empty_rows = Table((Column("a", "numeric", np.array([])),))
    assert write_csv(empty_rows) == "a\r\n"
    with pytest.raises(InputError):
        write_csv("not a table")  # type: ignore[arg-type]
    t = Table((Column("d", "datetime", np.array([1e15])),))
    with pytest.raises(InputError, match="'d'"):
        write_csv(t)
    assert write_csv(Table((Column("x", "numeric", np.array([np.nan, 1.0])),))) == 'x\r\n""\r\n1.0\r\n'


# ----------------------------------------------------------------------------- properties
_safe_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)
_cell = st.one_of(
    st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), _safe_text,
    st.text(max_size=6),
    st.sampled_from(["NA", "?", "true", "No", "0", "1", "2020-01-01", "2020-02-30", "007", " x ", "1,5", '"', "<a>"]),
)


@st.composite
def _random_table(draw, alphabet_text=_cell):
    ncols = draw(st.integers(1, 4))
    names = draw(st.lists(st.text(max_size=6), min_size=ncols, max_size=ncols, unique=True))
    nrows = draw(st.integers(0, 8))
    rows = draw(st.lists(st.lists(alphabet_text, min_size=ncols, max_size=ncols), min_size=nrows, max_size=nrows))
    return names, rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_random_table(), st.booleans())
def test_random_files_only_raise_input_error_and_keep_their_shape(table, as_bytes):
    names, rows = table
    text = csv_text(names, rows)
    source = text.encode("utf-8") if as_bytes else text
    try:
        res = read_csv(source, delimiter=",")
    except InputError as err:
        assert str(err)
        return
    assert res.table.n_cols == len(names)
    assert res.table.n_rows == len(rows)
    json.dumps(res.to_dict())
    json.dumps(profile(res.table))
    # what was read writes back and reads again to the same table
    again = read_csv(write_csv(res.table), kinds={c.name: c.kind for c in res.table.columns}, delimiter=",").table
    for x, y in zip(res.table.columns, again.columns):
        assert labels(x) == labels(y)


_plain = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00;\t|"), max_size=8)


@settings(max_examples=150, deadline=None)
@given(_random_table(alphabet_text=st.one_of(st.none(), st.integers(-99, 99), st.floats(), _plain)))
def test_random_files_with_sniffing(table):
    names, rows = table
    names = [n.replace(";", "").replace("\t", "").replace("|", "") for n in names]
    if len(set(names)) < len(names):
        return
    try:
        res = read_csv(csv_text(names, rows))
    except InputError:
        return
    assert (res.table.n_cols, res.table.n_rows) == (len(names), len(rows))


_cat = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=6).filter(lambda s: s == s.strip() and s.lower() not in MISSING_TOKENS)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_round_trip_property(data):
    n = data.draw(st.integers(1, 12))
    maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
    num = data.draw(st.lists(maybe(st.floats(-MAX_ABS, MAX_ABS)), min_size=n, max_size=n))
    ints = data.draw(st.lists(maybe(st.integers(-2**53, 2**53)), min_size=n, max_size=n))
    cats = data.draw(st.lists(maybe(_cat), min_size=n, max_size=n))
    flags = data.draw(st.lists(maybe(st.booleans()), min_size=n, max_size=n))
    us = data.draw(st.lists(maybe(st.integers(-2_208_988_800_000_000, 4_102_444_800_000_000)), min_size=n, max_size=n))
    f = lambda xs: np.array([np.nan if x is None else float(x) for x in xs])  # noqa: E731
    present = sorted({c for c in cats if c is not None})
    t = Table((
        Column("num", "numeric", f(num)),
        Column("int", "integer", f(ints)),
        Column("cat", "categorical", np.array([np.nan if c is None else present.index(c) for c in cats], dtype=float),
               categories=tuple(present)),
        Column("flag", "boolean", f(flags), categories=("False", "True")),
        Column("when", "datetime", np.array([np.nan if u is None else u / 1e6 for u in us])),
    ))
    back = read_csv(write_csv(t), kinds={c.name: c.kind for c in t.columns}).table
    for x, y in zip(t.columns, back.columns):
        assert labels(x) == labels(y), x.name
        if not x.is_discrete:
            assert x.bounds == y.bounds or (x.bounds is None and y.bounds is None)

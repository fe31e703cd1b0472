"""Row constraints such as ``admission <= discharge``, and sampling that respects them.

A constraint is one comparison, parsed without ``eval``::

    column OP column        admission <= discharge
    column OP number        age >= 18
    column OP 'text'        status != 'closed'          (categorical/boolean: == or != only;
                                                          datetime: an ISO date, 'YYYY-MM-DD')

with ``OP`` one of ``< <= > >= == !=``. A column name that is not a plain identifier can be
written between backticks: ```length of stay` > 0``. A number may also come first
(``0 < age``).

**Missing values**: a row where any column of the constraint is missing does *not* satisfy
it: an unknown value cannot be shown to meet the rule, and counting it as a pass let an
impossible constraint (``body_mass_g > 99999``) "hold" by blanking the whole column. A
column with missing values that must keep them needs no constraint on it.

**Unsatisfiable constraints** are refused with an :class:`InputError`:
:meth:`Constraint.check_satisfiable` when no row of the real table satisfies it, and
:func:`sample_with_constraints` when no sampled row has satisfied it after
``UNSATISFIABLE_AFTER`` draws.

:func:`sample_with_constraints` draws by rejection and checks each row *after* the
synthesizer has rounded and conformed it, i.e. on exactly the rows it returns.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._rng import as_generator
from .errors import InputError
from .table import Table

OPS = ("<=", ">=", "==", "!=", "<", ">")
_NUMERIC_KINDS = ("numeric", "integer", "datetime")
_TOKEN = re.compile(r"""
    \s*(?:
      (?P<op><=|>=|==|!=|<|>)
    | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | `(?P<quoted>[^`]+)`
    | '(?P<str1>[^']*)'
    | "(?P<str2>[^"]*)"
    | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    )""", re.VERBOSE)
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_MAX_ROWS = 1_000_000
UNSATISFIABLE_AFTER = 20_000  # sampled rows with no row satisfying a constraint: call it unsatisfiable


@dataclass(frozen=True)
class Constraint:
    """``left OP right``: ``left`` is a column; ``right`` a column, a number or a text literal."""

    left: str
    op: str
    right: str | float
    right_kind: str  # "column", "number" or "text"
    text: str

    def columns(self) -> list[str]:
        return [self.left] + ([self.right] if self.right_kind == "column" else [])

    def to_dict(self) -> dict:
        return {"text": self.text, "left": self.left, "op": self.op, "right": self.right,
                "right_kind": self.right_kind}

    def validate(self, table: Table) -> None:
        """Raise :class:`InputError` if a column is unknown or the comparison does not fit the kinds."""
        for name in self.columns():
            if name not in table:
                raise InputError(f"Constraint '{self.text}': there is no column named '{name}' "
                                 f"(columns: {', '.join(table.names)}).", column=name)
        self._operands(table)

    def _operands(self, table: Table) -> tuple[np.ndarray, np.ndarray]:
        left = table[self.left]
        ordered = self.op not in ("==", "!=")
        if left.is_discrete:
            if ordered:
                raise InputError(f"Constraint '{self.text}': '{self.left}' is {left.kind}, so only == and != "
                                 "can compare it.", column=self.left)
            if self.right_kind == "number":
                raise InputError(f"Constraint '{self.text}': compare the {left.kind} column '{self.left}' with a "
                                 f"quoted category, e.g. {self.left} == '{left.categories[0] if left.categories else 'x'}'.",
                                 column=self.left)
            if self.right_kind == "text":
                if self.right not in left.categories:
                    raise InputError(f"Constraint '{self.text}': '{self.right}' is not a category of '{self.left}' "
                                     f"(categories: {', '.join(left.categories[:10])}).", column=self.left)
                return left.values, np.full(left.values.size, float(left.categories.index(self.right)))
            right = table[self.right]
            if not right.is_discrete:
                raise InputError(f"Constraint '{self.text}': cannot compare {left.kind} '{self.left}' with "
                                 f"{right.kind} '{self.right}'.", column=self.right)
            # compare by label: map both columns onto the union of their labels
            labels = sorted(set(left.categories) | set(right.categories))
            index = {c: i for i, c in enumerate(labels)}
            lmap = np.array([index[c] for c in left.categories] + [np.nan])
            rmap = np.array([index[c] for c in right.categories] + [np.nan])
            lv = lmap[np.where(left.missing, len(left.categories), np.nan_to_num(left.values)).astype(int)]
            rv = rmap[np.where(right.missing, len(right.categories), np.nan_to_num(right.values)).astype(int)]
            return lv, rv
        if self.right_kind == "number":
            return left.values, np.full(left.values.size, float(self.right))
        if self.right_kind == "text":
            if left.kind != "datetime":
                raise InputError(f"Constraint '{self.text}': '{self.left}' is {left.kind}; compare it with a "
                                 "number, not a text.", column=self.left)
            return left.values, np.full(left.values.size, _parse_moment(self.right, self.text))
        right = table[self.right]
        if right.is_discrete:
            raise InputError(f"Constraint '{self.text}': cannot compare {left.kind} '{self.left}' with "
                             f"{right.kind} '{self.right}'.", column=self.right)
        return left.values, right.values

    def holds(self, table: Table) -> np.ndarray:
        """A boolean per row: True where the row satisfies the constraint (False where a value is missing)."""
        self.validate(table)
        a, b = self._operands(table)
        missing = np.isnan(a) | np.isnan(b)
        with np.errstate(invalid="ignore"):
            result = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
                      "==": np.equal, "!=": np.not_equal}[self.op](a, b)
        return result & ~missing

    def check_satisfiable(self, table: Table) -> None:
        """Raise :class:`InputError` if no row of ``table`` (the real data) satisfies the constraint."""
        if table.n_rows == 0 or self.holds(table).any():
            return
        col = table[self.left]
        present = col.values[~col.missing]
        if present.size == 0:
            why = f"'{self.left}' is missing in every row"
        elif col.is_discrete or self.right_kind != "number":
            why = "no row of the data satisfies it"
        else:
            why = (f"'{self.left}' ranges from {col.format_value(float(present.min()))} to "
                   f"{col.format_value(float(present.max()))} in the data")
        raise InputError(f"Constraint '{self.text}' cannot be satisfied: {why}. Check the number and the "
                         "direction of the comparison.", column=self.left)


def _parse_moment(text: str, constraint: str) -> float:
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"Constraint '{constraint}': '{text}' is not a date like 2024-01-31.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.timestamp()


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InputError(f"Constraint '{text}': cannot read it from '{text[pos:].strip()}'. Write one "
                             "comparison like 'admission <= discharge' or 'age >= 18'.")
        kind = m.lastgroup
        value = m.group(kind)
        out.append(({"quoted": "name", "str1": "text", "str2": "text"}.get(kind, kind), value))
        pos = m.end()
    return out


def parse_constraint(text: str, table: Table | Sequence[str] | None = None) -> Constraint:
    """Parse one comparison (see the module docstring); with ``table`` (or column names), check the columns."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("A constraint must be a comparison such as 'admission <= discharge'.")
    text = text.strip()
    toks = _tokens(text)
    if any(kind == "name" and value.lower() in ("and", "or", "not") for kind, value in toks):
        raise InputError(f"Constraint '{text}': write one comparison per constraint and pass several "
                         "constraints as a list.")
    if any(a[0] == "name" and b[0] == "name" for a, b in zip(toks, toks[1:])):
        raise InputError(f"Constraint '{text}': put a column name with spaces between backticks, "
                         "like `length of stay` <= 30.")
    if len(toks) != 3 or toks[1][0] != "op":
        raise InputError(f"Constraint '{text}': write exactly one comparison, like 'a <= b' or 'age >= 18' "
                         f"(operators: {' '.join(OPS)}).")
    (lk, lv), (_, op), (rk, rv) = toks
    if lk != "name" and rk == "name":
        (lk, lv), (rk, rv), op = (rk, rv), (lk, lv), _FLIP[op]
    if lk != "name":
        raise InputError(f"Constraint '{text}': one side must be a column name.")
    if rk == "number":
        right: str | float = float(rv)
        if not math.isfinite(right):
            raise InputError(f"Constraint '{text}': the number must be finite.")
        kind = "number"
    elif rk == "text":
        right, kind = rv, "text"
    else:
        right, kind = rv, "column"
    constraint = Constraint(lv, op, right, kind, text)
    if isinstance(table, Table):
        constraint.validate(table)
    elif table is not None:
        names = list(table)
        for name in constraint.columns():
            if name not in names:
                raise InputError(f"Constraint '{text}': there is no column named '{name}' "
                                 f"(columns: {', '.join(names)}).", column=name)
    return constraint


def _as_constraints(constraints: Sequence[Constraint | str] | Constraint | str, table: Table) -> list[Constraint]:
    if isinstance(constraints, (str, Constraint)):
        constraints = [constraints]
    out = []
    for c in constraints:
        c = parse_constraint(c, table) if isinstance(c, str) else c
        if not isinstance(c, Constraint):
            raise InputError(f"A constraint must be a text like 'a <= b', not {c!r}.")
        c.validate(table)
        out.append(c)
    return out


def violations(table: Table, constraints: Sequence[Constraint | str] | Constraint | str) -> dict:
    """Share of rows of ``table`` violating each constraint and any of them (JSON-able)."""
    cons = _as_constraints(constraints, table)
    ok = np.ones(table.n_rows, dtype=bool)
    per = {}
    for c in cons:
        h = c.holds(table)
        per[c.text] = float(1 - h.mean()) if table.n_rows else 0.0
        ok &= h
    return {"n_rows": int(table.n_rows), "violation_rate": float(1 - ok.mean()) if table.n_rows else 0.0,
            "per_constraint": per}


def _concat(tables: list[Table]) -> Table:
    first = tables[0]
    return Table(tuple(c.with_values(np.concatenate([t.columns[j].values for t in tables]))
                       for j, c in enumerate(first.columns)))


def _refuse_unsatisfiable(cons: list[Constraint], bad_each: np.ndarray, drawn: int) -> None:
    if drawn < UNSATISFIABLE_AFTER:
        return
    never = [c.text for c, bad in zip(cons, bad_each) if bad >= drawn]
    if never:
        raise InputError(f"Constraint '{never[0]}' looks unsatisfiable: none of {drawn:,} sampled rows satisfied "
                         "it. Check the number and the direction of the comparison.")


def sample_with_constraints(synth, n: int, constraints: Sequence[Constraint | str] | Constraint | str, *,
                            rng=None, max_rounds: int = 50) -> tuple[Table, dict]:
    """``n`` rows from the fitted ``synth`` that satisfy every constraint, drawn by rejection.

    Each round samples a batch (sized from the acceptance rate seen so far), checks the
    constraints on the returned — already rounded and conformed — rows and keeps those
    that hold. The report gives the violation rate among all raw samples (``before``) and
    in the returned rows (``after``: 0 unless it gave up). If ``max_rounds`` rounds do not
    yield ``n`` valid rows, it gives up: the shortfall is filled with violating rows,
    ``gave_up`` is True and ``message`` says so.

    Rejection conditions the synthesizer's distribution on the constraints: the kept rows
    follow "synthetic rows given that the constraints hold", so shares are those conditional
    shares (a row with a missing value in a constrained column is rejected). A constraint that
    none of the first ``UNSATISFIABLE_AFTER`` sampled rows satisfies raises :class:`InputError`.
    """
    from .synthesizers.base import check_n

    rng = as_generator(rng)
    n = check_n(n)
    if isinstance(max_rounds, bool) or not isinstance(max_rounds, (int, np.integer)) or not 1 <= max_rounds <= 1000:
        raise InputError(f"max_rounds must be a whole number from 1 to 1000, not {max_rounds!r}.")
    template = getattr(synth, "template_", None)
    if template is None:
        raise InputError("Fit the synthesizer before sampling with constraints.")
    cons = _as_constraints(constraints, template)
    kept: list[Table] = []
    n_kept = 0
    drawn = 0
    bad_any = 0
    bad_each = np.zeros(len(cons))
    last_rejects: list[Table] = []
    rounds = 0
    while n_kept < n and rounds < max_rounds:
        rounds += 1
        need = n - n_kept
        rate = (drawn - bad_any) / drawn if drawn else 1.0
        batch = need if drawn == 0 else int(min(_MAX_ROWS, max(need, math.ceil(1.2 * need / max(rate, 0.01)))))
        raw = synth.sample(batch, rng=rng)
        ok = np.ones(batch, dtype=bool)
        for i, c in enumerate(cons):
            h = c.holds(raw)
            bad_each[i] += (~h).sum()
            ok &= h
        drawn += batch
        bad_any += int((~ok).sum())
        _refuse_unsatisfiable(cons, bad_each, drawn)
        good = np.flatnonzero(ok)[:need]
        if good.size:
            kept.append(raw.take(good))
            n_kept += good.size
        last_rejects = [raw.take(np.flatnonzero(~ok))]
    gave_up = n_kept < n
    if gave_up:
        filler = last_rejects[0].take(np.arange(min(n - n_kept, last_rejects[0].n_rows)))
        kept.append(filler)
    out = _concat(kept) if kept else template
    after = violations(out, cons)["violation_rate"] if out.n_rows else 0.0
    report = {
        "constraints": [c.text for c in cons],
        "rows_requested": n,
        "rows_returned": int(out.n_rows),
        "rows_drawn": int(drawn),
        "rounds": rounds,
        "violation_rate_before": float(bad_any / drawn) if drawn else 0.0,
        "per_constraint_before": {c.text: float(bad_each[i] / drawn) for i, c in enumerate(cons)},
        "violation_rate_after": float(after),
        "gave_up": bool(gave_up),
        "message": (f"Gave up after {rounds} rounds: only {n_kept} of {n} rows satisfied the constraints; "
                    f"the other {out.n_rows - n_kept} rows violate them." if gave_up else
                    f"All {n} rows satisfy the constraints ({bad_any} of {drawn} raw rows were rejected)."),
    }
    return out, report

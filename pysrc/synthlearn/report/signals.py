"""Privacy signals: what the top of a report says when synthetic rows sit close to real ones."""

from __future__ import annotations

__all__ = ["ACTION", "privacy_signals"]

#: What to do when rows sit too close to the training rows.
ACTION = ("What to do: do not share these rows as they are; try a method that generalises more (a Gaussian copula, "
          "or fewer components, parents or bins so that each learned piece covers more real rows), or the "
          "differentially private method (dp_mst) for a guarantee, and evaluate again.")


def privacy_signals(rows: list[dict], scores: dict) -> list[dict]:
    """``[{level, key, title, text, action}]`` for each privacy warning a report must show first:
    the DCR share above its target, or more identical copies of training rows than chance gives."""
    by_key = {r["key"]: r for r in rows}
    out = []
    dcr = by_key.get("privacy.dcr_share")
    if dcr and dcr["status"] == "fail":
        out.append({"level": "warning", "key": "privacy.dcr_share",
                    "title": "Synthetic rows sit close to the training rows.",
                    "text": f"{dcr['score']:.1%} of synthetic rows are closer to a training row than to any holdout "
                            f"row (ideal {scores.get('dcr_share_ideal', 0.5):.1%}): the synthesizer reproduces the "
                            "rows it learned from more than fresh rows of the same population.",
                    "action": ACTION})
    same = by_key.get("privacy.identical_match_rate")
    rate = scores.get("identical_match_rate")
    if same and rate and (same["status"] == "fail" or scores.get("identical_match_rate_holdout") is None):
        out.append({"level": "warning", "key": "privacy.identical_match_rate",
                    "title": "Some synthetic rows are copies of training rows.",
                    "text": f"{rate:.2%} of synthetic rows equal a training row in every column"
                            + (f" (real holdout rows: {scores['identical_match_rate_holdout']:.2%})."
                               if scores.get("identical_match_rate_holdout") is not None else "."),
                    "action": ACTION})
    return out

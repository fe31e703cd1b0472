"""Live demos: each module has a pure ``run(**params) -> dict`` declared by a Markdown block.

See ``docs/contributing.md`` for the block format and the result format.
"""

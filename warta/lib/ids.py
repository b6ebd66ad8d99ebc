"""Numbers typed into a query string or form field, parsed without surprising the database."""

# The largest id a BIGINT column (SQLite's INTEGER, PostgreSQL's bigint) holds.
MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """A positive database id, or None for anything else.

    `str.isdigit` is not enough: "²" passes it and then fails `int()`, and 30 digits pass
    both and then overflow SQLite's integer (a 500 instead of "no such thing").
    """
    text = raw if isinstance(raw, str) else str(raw or "")
    if not (0 < len(text) <= 19 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None

"""Many links to one named URL at the cost of one `reverse`."""

from collections.abc import Callable

from django.urls import reverse

_MARK = 2_147_483_647  # an id no row has yet, to find where the id goes


def reverser(name: str) -> Callable[[int], str]:
    """`lambda pk: reverse(name, args=[pk])` for a URL whose one argument is an `<int:pk>`.

    A list page links every row: reverse() per row was a good part of its rendering.
    """
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return lambda pk: f"{head}{int(pk)}{tail}"

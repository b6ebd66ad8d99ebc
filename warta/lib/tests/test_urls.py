from django.urls import reverse

from warta.lib.urls import reverser


def test_it_builds_the_same_links_as_reverse() -> None:
    link = reverser("content:post_detail")
    for pk in (1, 7, 10, 2_147_483_646, 99_999_999_999):
        assert link(pk) == reverse("content:post_detail", args=[pk])
    assert reverser("engagement:item_detail")(42) == reverse("engagement:item_detail", args=[42])

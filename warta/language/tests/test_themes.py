from warta.language import api


def test_it_groups_texts_by_topic_and_keeps_near_duplicates_together() -> None:
    texts = [
        "jalan di loktuan rusak parah",
        "Jalan di Loktuan rusak parah!!",
        "jalan loktuan rusak, tolong diperbaiki",
        "lampu jalan di api-api mati",
        "lampu penerangan jalan api-api mati total",
        "sampah menumpuk di pasar rawa indah",
        "sampah pasar rawa indah bau dan menumpuk",
        "jln di loktuan rusak parah",
        "",
    ]
    themes = api.group_themes(texts, max_themes=5)
    member_sets = [set(t.member_indexes) for t in themes]
    road = next(s for s in member_sets if 0 in s)
    assert {0, 1, 7} <= road
    assert 3 not in road and 5 not in road
    assert any({5, 6} <= s for s in member_sets)
    assert sorted(i for s in member_sets for i in s) == list(range(len(texts)))
    for theme in themes:
        assert theme.label
        assert set(theme.representative_indexes) <= set(theme.member_indexes)
        assert len(theme.representative_indexes) <= 3
    assert "lainnya" in [t.label for t in themes]


def test_it_respects_max_themes_and_handles_empty_input() -> None:
    texts = [f"usulan nomor {i} tentang topik{i} khusus{i}" for i in range(30)]
    assert len(api.group_themes(texts, max_themes=4)) <= 4
    assert api.group_themes([]) == []

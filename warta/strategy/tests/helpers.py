from typing import Any

from warta.strategy.schema import empty_data


def strategy_doc(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = dict(empty_data())
    data.update(
        {
            "purpose": "Warga tahu layanan kesehatan yang tersedia dan cara memakainya.",
            "audiences": ["Ibu hamil", "Lansia"],
            "pillars": [
                {"category": "service", "label": "Layanan", "description": "Cara memakai layanan"},
                {"category": "education", "label": "Edukasi", "description": ""},
            ],
            "target_mix": {"service": 60, "education": 40},
            "cadence": {"instagram": 5, "facebook": 3},
            "hashtags": ["#DinkesUji"],
            "words_avoid": [{"word": "oknum", "instead": "petugas"}],
            "official_names": [{"name": "Kota Uji", "wrong": ["Kota Udji"]}],
        }
    )
    data.update(overrides)
    return data

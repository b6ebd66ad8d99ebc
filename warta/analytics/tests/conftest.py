import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # Dashboard figures are cached per rollup generation; tests reuse ids and generations.
    cache.clear()
    yield
    cache.clear()

import pytest

from tests.regulations import texts


@pytest.fixture
def corpus_version(cast, import_text):
    """Quy định 01-QĐ/ĐU of Đảng ủy xã Công Hải, 13 articles over seven pages."""
    return import_text(texts.corpus(texts.CONG_HAI), organization=cast.a_child)

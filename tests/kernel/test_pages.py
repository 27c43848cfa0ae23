"""kernel/pages.py: Connect's arrays on ordinary pages, numpy's setting restored afterwards."""
import pytest

from kernel import pages


@pytest.mark.skipif(pages._set_madvise_hugepage is None, reason="numpy has no switch")
def test_ordinary_pages_switch_off_and_restore_even_after_an_error():
    switch = pages._set_madvise_hugepage
    before = switch(True)
    try:
        with pytest.raises(RuntimeError):
            with pages.ordinary_pages():
                assert switch(False) is False       # off inside the block
                raise RuntimeError("Connect failed")
        assert switch(True) is True                 # restored
    finally:
        switch(before)


def test_decorated_function_keeps_its_name_and_result():
    @pages.on_ordinary_pages
    def rule(x, y=1):
        """doc"""
        return x + y
    assert rule(2, y=3) == 5 and rule.__name__ == "rule" and rule.__doc__ == "doc"

"""Row URLs built once per list equal what ``reverse`` gives per row."""

from uuid import uuid4

from django.urls import reverse

from noloc_portal.lists import RowUrl


def test_row_url_equals_reverse_for_int_and_uuid_keys():
    edit = RowUrl("portfolios:pe_edit", 12)
    assert [edit(pk) for pk in (1, 345)] == [
        reverse("portfolios:pe_edit", args=[12, pk]) for pk in (1, 345)
    ]
    download = RowUrl("documents:download", key=type(uuid4()))
    key = uuid4()
    assert download(key) == reverse("documents:download", args=[key])

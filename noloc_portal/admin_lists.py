"""Admin change lists that stay up on odd stored dates."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class BoundedDateChangeList(ChangeList):
    """A date-hierarchy step the calendar cannot take (the year after 9999) is refused like any
    bad filter, so the admin shows the list with its error flag instead of answering 500."""

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class BoundedDateHierarchy:
    """For a ModelAdmin with a ``date_hierarchy``."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateChangeList

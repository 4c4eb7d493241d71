"""Admin pieces every framework package uses for portfolio content: a portfolio past draft is
read-only in the admin (AS-1), checked again under the portfolio's row lock on save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from noloc_portal.forms import BoundedAdminFields
from portfolios.models import Portfolio


def _portfolio_of(obj) -> Portfolio | None:
    """The portfolio a content row belongs to; None for a row not yet attached to one."""
    return obj if isinstance(obj, Portfolio) else getattr(obj, "portfolio", None)


class PortfolioContentForm(forms.ModelForm):
    """AS-1: refuses a save into a portfolio past draft, checked under the portfolio's row lock
    (the admin saves inside one transaction), so a save racing a submit cannot slip in."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("case") is not None:
            portfolio = cleaned["case"].portfolio
        else:
            portfolio = cleaned.get("portfolio") or _portfolio_of(self.instance)
        if portfolio is not None and portfolio.pk is not None:
            locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
            if not locked.is_editable:
                raise forms.ValidationError(
                    _("Dit portfolio is %(state)s; de inhoud kan niet meer worden gewijzigd.")
                    % {"state": locked.get_state_display().lower()}
                )
        return cleaned


class FrozenWhenSubmitted(BoundedAdminFields):
    """AS-1: content is read-only once the portfolio left the draft state. Its fields keep the
    input bounds of the portfolio's pages."""

    form = PortfolioContentForm

    def _frozen(self, obj) -> bool:
        portfolio = _portfolio_of(obj)
        return portfolio is not None and not portfolio.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._frozen(obj))


class FrozenInline(FrozenWhenSubmitted):
    """An inline asks with its parent (the portfolio, or the case): nothing is added to a
    portfolio past draft. A ModelAdmin's add form checks the chosen portfolio instead."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and self._frozen(obj))

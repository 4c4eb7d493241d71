"""Page behaviour every framework's views share: finding the portfolio (404 for outsiders),
refusing a change to a frozen portfolio, and a page with a form whose valid post goes to a
service (:func:`section_page`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from noloc_portal.lists import form_html
from noloc_portal.prepared import PreparedQuery
from portfolios import registry
from portfolios.checklist import rules_for
from portfolios.models import Portfolio, PortfolioState
from portfolios.permissions import can_edit_portfolio, can_view_portfolio
from portfolios.remembered import revision_columns
from portfolios.services import PortfolioFrozen, TransitionError


def _readable():
    """A portfolio as its pages read it: with the owner and what the heading shows of the
    framework's own rows (``summary_values``)."""
    return Portfolio.objects.select_related("owner", *registry.summary_related())


# Every page of a portfolio reads it first: compiled once per process.
_ANY_PORTFOLIO = PreparedQuery(
    lambda pk: _readable().filter(pk=pk), depends_on=registry.codes, pk=int
)
_FRAMEWORK_PORTFOLIO = PreparedQuery(
    lambda pk, framework: _readable().filter(pk=pk, framework=framework),
    depends_on=registry.codes,
    pk=int,
    framework=str,
)
# A page that writes nothing reads the portfolio's revisions with it (remembered.revision_columns).
_PORTFOLIO_WITH_REVISIONS = PreparedQuery(
    lambda pk, framework: (
        _readable().filter(pk=pk, framework=framework).annotate(**revision_columns())
    ),
    depends_on=registry.codes,
    pk=int,
    framework=str,
)


def portfolio_or_404(
    request, pk: int, *, framework: str | None, queryset=None, with_revisions: bool = False
) -> Portfolio:
    """The portfolio if the user may read it; 404 for everyone else (style §4). A framework's
    pages only exist for portfolios of that framework (``framework=None``: any). Without a
    ``queryset`` it comes with its owner and the relations of ``summary_values``;
    ``with_revisions`` (a framework's page that writes nothing) with its revisions as well
    (``read_revision``, ``read_offers_revision``: ``services.current_key(..., read=True)``)."""
    if with_revisions:
        if queryset is not None or framework is None:
            raise ValueError("with_revisions reads a framework's portfolio itself")
        found = _PORTFOLIO_WITH_REVISIONS(pk=int(pk), framework=framework)
        if not found or not can_view_portfolio(request.user, found[0]):
            raise Http404
        return found[0]
    if queryset is not None:
        if framework is not None:
            queryset = queryset.filter(framework=framework)
        portfolio = get_object_or_404(queryset, pk=pk)
    else:
        found = (
            _ANY_PORTFOLIO(pk=int(pk))
            if framework is None
            else _FRAMEWORK_PORTFOLIO(pk=int(pk), framework=framework)
        )
        if not found:
            raise Http404
        (portfolio,) = found
    if not can_view_portfolio(request.user, portfolio):
        raise Http404
    return portfolio


def owner_only(request, portfolio: Portfolio) -> Portfolio:
    """Only the owner changes a portfolio; anyone else who may read it gets 404 on a change."""
    if portfolio.owner_id != request.user.pk:
        raise Http404
    return portfolio


def frozen_redirect(request, portfolio: Portfolio):
    if portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED:
        messages.warning(
            request,
            _(
                "Dit onderdeel is niet heropend voor aanvulling en kan niet worden gewijzigd; "
                "alleen de heropende onderdelen kun je nog aanpassen."
            ),
        )
    else:
        messages.warning(
            request,
            _("Dit portfolio is %(state)s; de inhoud kan niet meer worden gewijzigd.")
            % {"state": portfolio.get_state_display().lower()},
        )
    return redirect("portfolios:detail", portfolio.pk)


def refused_change(request, portfolio: Portfolio, *, section: str | None = None):
    """None when the user may change ``section`` (a checklist Section.key) of the portfolio now;
    else the response to give."""
    owner_only(request, portfolio)
    if not portfolio.is_section_editable(section):
        return frozen_redirect(request, portfolio)
    return None


def read_only(form) -> None:
    for field in form.fields.values():
        field.disabled = True


def not_saved(request) -> None:
    messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))


def model_values(form) -> dict[str, Any]:
    """The model fields a valid model form read, as ``form.save()`` would write them; a field the
    form left out of ``cleaned_data`` (another route's, say) is not among them."""
    return {
        name: getattr(form.instance, name)
        for name in form._meta.fields
        if name in form.cleaned_data
    }


def posted_files(form, targets: Mapping[str, str]) -> dict[str, Any]:
    """``{model field: uploaded file}`` for each upload field of ``targets`` that got a file."""
    return {
        target: form.cleaned_data[name]
        for name, target in targets.items()
        if form.cleaned_data.get(name)
    }


# The fields of a section's form as ``portfolios/_form_section.html`` draws them (crispy).
SECTION_FORM = "portfolios/_section_form_fields.html"


def section_page(
    request,
    portfolio: Portfolio,
    *,
    form: Callable[[Any, Any], forms.BaseForm],
    save: Callable[[forms.BaseForm], object],
    template: str,
    context: Callable[[forms.BaseForm], dict[str, Any]],
    rule_prefix: str | None = None,
    section: str | None = None,
    saved: str | None = None,
    next_url: str | None = None,
    upload_field: str | None = None,
) -> HttpResponse:
    """A page with one form on a part of a portfolio, the same for every framework.

    GET shows ``form(None, None)``, read-only to whoever may not change the portfolio now. A POST
    is the owner's only (404 for anyone else) and only while the portfolio is a draft (else the
    frozen redirect; in a supplement round only a reopened ``section``, the checklist
    Section.key of the part the page changes). A valid form goes to ``save``, which calls a
    service: when it is saved, the message ``saved`` and a redirect to ``next_url`` (default:
    this page); when the form or the service refuses it, the page again with the errors and
    everything that was typed (a refused upload is shown at ``upload_field``). ``context`` gives
    the page's context for a form; ``rule_prefix`` adds the engine's rules of the section to it.
    A form class that says ``markup_remembered = True`` (its fields the same for every instance:
    no files, no choices of its own) is drawn once per process for its values and for whether
    it is read-only, while it comes unbound (``noloc_portal.lists.form_html``): crispy's
    templates were a fifth of such a page.
    """
    if request.method == "POST":
        refused = refused_change(request, portfolio, section=section)
        if refused is not None:
            return refused
        bound = form(request.POST, request.FILES)
        if bound.is_valid():
            try:
                save(bound)
            except PortfolioFrozen:
                # Submitted (or resubmitted) between the page's check and the service's lock.
                portfolio.refresh_from_db(fields=["state", "reopened_sections"])
                return frozen_redirect(request, portfolio)
            except ValidationError as error:
                bound.add_error(upload_field, error)
            except TransitionError as error:
                bound.add_error(None, str(error))
            else:
                messages.success(request, saved or _("Opgeslagen."))
                return redirect(next_url or request.path)
        not_saved(request)
    else:
        bound = form(None, None)
    if not can_edit_portfolio(request.user, portfolio, section):
        read_only(bound)
    page = context(bound)
    if getattr(bound, "markup_remembered", False) and not bound.is_bound:
        page.setdefault("form_markup", form_html(SECTION_FORM, bound))
    if rule_prefix is not None:
        page["section_rules"] = rules_for(page["evaluation"], rule_prefix)
    return render(request, template, page)


def change_and_return(
    request,
    portfolio: Portfolio,
    change: Callable[[], object],
    *,
    done,
    next_url,
    section: str | None = None,
):
    """A POST that changes ``section`` of the portfolio through one service call (removing a
    row, say): refused on a frozen portfolio (or a section not reopened), the service's refusal
    shown as a message, then back to ``next_url``."""
    refused = refused_change(request, portfolio, section=section)
    if refused is not None:
        return refused
    try:
        change()
    except PortfolioFrozen:
        portfolio.refresh_from_db(fields=["state", "reopened_sections"])
        return frozen_redirect(request, portfolio)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(next_url)

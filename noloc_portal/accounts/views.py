from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from noloc_portal.accounts.navigation import start_pages_for


@login_required
def home(request):
    """Send a person with one role to its start page; several roles get a choice of tiles."""
    pages = start_pages_for(request.user)
    if len(pages) == 1:
        return redirect(pages[0].url)
    if not pages and request.user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/home.html", {"pages": pages})

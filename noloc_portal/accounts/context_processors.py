from noloc_portal.accounts.navigation import start_pages_for


def navigation(request):
    return {"start_pages": start_pages_for(request.user)}

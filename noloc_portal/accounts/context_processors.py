from noloc_portal.accounts.navigation import reader_start_page, start_pages_for
from noloc_portal.accounts.otp import awaits_second_step


def navigation(request):
    if awaits_second_step(request):
        # Between the password and the code no role's pages: the gate would send them back.
        return {"start_pages": [], "reader_start_page": None}
    pages = start_pages_for(request.user)
    return {"start_pages": pages, "reader_start_page": reader_start_page(pages)}

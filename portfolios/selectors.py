from portfolios.models import Portfolio


def portfolios_of(user):
    return Portfolio.objects.filter(owner=user).order_by("-created_at")

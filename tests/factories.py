import factory

from noloc_portal.accounts.models import Role, RoleGrant, User

PASSWORD = "test-wachtwoord-123"

_faker = factory.Faker._get_faker(locale="nl_NL")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    # Dutch names as Faker makes them, minus the apostrophe of "van 't Erve":
    # tests compare names with rendered HTML, where it comes out as &#x27;.
    # Names with apostrophes and other awkward characters have their own tests.
    full_name = factory.LazyFunction(lambda: _faker.name().replace("'", ""))
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleGrant.objects.get_or_create(user=self, role=role)


def user_with(*roles: str, **kwargs) -> User:
    return UserFactory(roles=roles, **kwargs)


__all__ = ["PASSWORD", "Role", "UserFactory", "user_with"]

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noloc_portal.loading import FastLoading


class Role(models.TextChoices):
    """Roles of domain.md §5. A person may hold several."""

    PROFESSIONAL = "professional", _("Professional")
    ASSESSOR = "assessor", _("Assessor")
    CERTIFICATION_COORDINATOR = "certification_coordinator", _("Coördinator certificeren")
    CIRCLE_COORDINATOR = "circle_coordinator", _("Kringcoördinator")
    REGIONAL_CHAIR = "regional_chair", _("Regiovoorzitter")
    SECRETARIAT = "secretariat", _("Secretariaat")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(FastLoading, AbstractBaseUser, PermissionsMixin):
    """A person using the portal; logs in with the e-mail address."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200)
    membership_number = models.CharField(_("Noloc-lidnummer"), max_length=20, blank=True)
    membership_verified = models.BooleanField(
        _("lidnummer gecontroleerd"),
        default=False,
        db_default=False,
        help_text=_("Het secretariaat heeft het lidnummer in de ledenadministratie nagekeken."),
    )
    place = models.CharField(
        _("plaats"),
        max_length=100,
        blank=True,
        db_default="",
        help_text=_("Woon- of werkplaats; staat alleen in het openbare register als je dat wilt."),
    )
    show_place_in_register = models.BooleanField(
        _("plaats tonen in het openbare register"), default=False, db_default=False
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Mag inloggen op de beheeromgeving (secretariaat)."),
    )
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.role_grants.all())

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_set


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("gebruiker")
    )
    role = models.CharField(_("rol"), max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(_("toegekend op"), auto_now_add=True)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]
        # Who holds a role (the assessors of the queue's filter and of an assignment) is read
        # from this index, not from every grant.
        indexes = [models.Index(fields=["role", "user"], name="rolegrant_role_user")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

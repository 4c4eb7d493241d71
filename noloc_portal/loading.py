"""Rows turned into model instances without running ``Model.__init__`` for each of them.

``Model.from_db`` builds every instance read from the database through ``Model.__init__``,
which sends ``pre_init`` and ``post_init``, creates the instance state and sets each field
through ``setattr``: 3.1 µs for an instance of 19 fields, against 0.8 µs filling it directly;
a fifth of the API evaluation of a portfolio of 100 activities (counted in instructions,
``benchmarks/instructions.py``). :class:`FastLoading` overrides ``from_db``, the hook
Django documents for customising loading, and fills the instance as ``__init__`` would have:
the same attributes in ``__dict__``, the same state (not adding, the database it came from).

It takes the fast way only where that is the same thing, and otherwise Django's:

- every concrete field was read (a ``defer()`` or ``only()`` leaves some out);
- nobody listens to ``pre_init`` or ``post_init`` for the model (an ``ImageField`` with
  dimension fields does, for example, and so may a test);
- each field's attribute on the class stores what it is given in ``__dict__`` and nothing more:
  a plain field (no ``__set__``), a foreign key's id or a file (their ``__set__`` only does that
  on a new instance).
"""

from __future__ import annotations

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init

# Attributes whose __set__ on a new instance only stores the value in __dict__.
_STORING = (ForeignKeyDeferredAttribute, FileDescriptor)


def _storing_attnames(model: type[Model]) -> frozenset[str]:
    """The attribute names of the model's concrete fields that ``from_db`` may fill directly:
    those whose attribute on the class only stores what it is given."""
    names = set()
    for field in model._meta.concrete_fields:
        descriptor = next(
            (k.__dict__[field.attname] for k in model.__mro__ if field.attname in k.__dict__),
            None,
        )
        if getattr(type(descriptor), "__set__", None) is None or (
            isinstance(descriptor, _STORING) and not isinstance(descriptor, ImageFileDescriptor)
        ):
            names.add(field.attname)
    return frozenset(names)


class FastLoading:
    """Mixin for a model read in many rows at once. Put it before ``models.Model``."""

    @classmethod
    def from_db(cls, db, field_names, values):
        # Django passes every row of one query the same list of field names: the conditions
        # are checked once per query (per list), not once per row.
        if field_names is not cls.__dict__.get("_checked_field_names"):
            if not cls._loads_fast(field_names):
                return super().from_db(db, field_names, values)
            cls._checked_field_names = field_names
        new = cls.__new__(cls)
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        new.__dict__.update(zip(field_names, values, strict=True))
        return new

    @classmethod
    def _loads_fast(cls, field_names) -> bool:
        storing = cls.__dict__.get("_storing_attnames")
        if storing is None:
            storing = cls._storing_attnames = _storing_attnames(cls)
        return (
            cls.__init__ is Model.__init__
            and storing.issuperset(field_names)
            and not pre_init.has_listeners(cls)
            and not post_init.has_listeners(cls)
        )

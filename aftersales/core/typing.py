"""Annotations for values whose third-party stubs are wrong or too wide.

django-countries' stubs declare ``CountryField`` as an unparametrised ``CharField`` subclass, so
the django-stubs plugin types an instance's value as ``str``. The field's descriptor really
returns a ``Country`` (``multiple=False``) or a ``MultipleCountriesDescriptor`` of ``Country``
(``multiple=True``), and accepts codes, ``Country`` objects or, for several, an iterable of
them (or "AT,BE"). Annotating the model attribute with these aliases gives mypy those types;
they have no effect at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

from django.db import models
from django_countries.fields import Country, MultipleCountriesDescriptor

#: ``CountryField(...)`` (not nullable).
CountryFieldValue: TypeAlias = "models.Field[str | Country, Country]"

#: ``CountryField(..., multiple=True)`` (not nullable).
CountriesFieldValue: TypeAlias = (
    "models.Field[str | Iterable[str | Country], MultipleCountriesDescriptor]"
)

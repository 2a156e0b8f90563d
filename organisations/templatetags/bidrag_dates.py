"""Dates as people read them, in the active language: 3 March 2026, 3 mars 2026."""

from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def long_date(value) -> str:
    """Return a date, or an ISO date string (as e-mail contexts carry them), as 3 March 2026."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if value is None or value == "":
        return ""
    return date_format(value, "j F Y")

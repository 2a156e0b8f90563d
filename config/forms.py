"""How every form field is rendered: one template, so labels, hints and errors read the same."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Render fields with ``templates/includes/field.html`` (label, hint, error, widget)."""

    field_template_name = "includes/field.html"

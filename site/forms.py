from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders forms and fields with Paddock's templates (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

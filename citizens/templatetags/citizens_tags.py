"""Template helpers of the citizens' pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def section_link(context, url_name, label):
    """Return a navigation link, marked as the current section for every page under its address."""
    url = reverse(url_name)
    request = context.get("request")
    current = request is not None and request.path.startswith(url)
    if current:
        return format_html('<a class="nav-link active" aria-current="page" href="{}">{}</a>', url, label)
    return format_html('<a class="nav-link" href="{}">{}</a>', url, label)

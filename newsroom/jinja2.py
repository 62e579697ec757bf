"""The Jinja2 environment of the templates under templates/jinja2/ (settings.TEMPLATES,
"jinja2"): the parts of pages drawn so often that Django's engine is most of their cost (a
feed item). They are drawn through a function of their app, never found by name from a Django
template. The helpers are those of the Django templates, under the same names."""

from jinja2 import Environment, StrictUndefined

from newsroom.templatetags import newsroom_time


def environment(**options):
    # A name a template uses that its caller did not give is an error, not an empty string.
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.globals["time_tag"] = newsroom_time.time_tag
    env.filters["for_scripts"] = newsroom_time.for_scripts
    return env

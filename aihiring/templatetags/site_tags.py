"""Site-wide template helpers: ``{% capture %}`` for reusing a block's output, ``{% record %}`` for keeping it."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, var_name):
        self.nodelist = nodelist
        self.var_name = var_name

    def render(self, context):
        # The nodelist's output is already escaped by the template engine.
        context[self.var_name] = mark_safe(self.nodelist.render(context).strip())
        _record(context, self.var_name, context[self.var_name])
        return ""


def _record(context, name, output):
    """Keep ``output`` for ``aihiring.cache.ContentBlocksMixin`` when the view asked for its blocks."""
    blocks = getattr(context.get("request"), "content_blocks", None)
    if blocks is not None:
        blocks[name] = output


class RecordNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        output = self.nodelist.render(context)
        _record(context, self.name, output)
        return output


@register.tag
def capture(parser, token):
    """Render the enclosed template (blocks included) into a variable: ``{% capture as name %}…{% endcapture %}``.

    base.html wraps its ``title`` and ``meta_description`` blocks in it so that a page sets each once and the
    value also fills the Open Graph tags.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.tag
def record(parser, token):
    """Output the enclosed template and keep what it rendered under ``name``: ``{% record name %}…{% endrecord %}``.

    base.html wraps its ``head``, ``breadcrumbs`` and ``content`` blocks in it, so views with
    ``aihiring.cache.ContentBlocksMixin`` can store them for later visitors.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Usage: {% record name %}…{% endrecord %}")
    nodelist = parser.parse(("endrecord",))
    parser.delete_first_token()
    return RecordNode(nodelist, bits[1])

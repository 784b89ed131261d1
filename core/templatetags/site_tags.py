"""Site-wide template helpers: ``{% capture %}`` renders a block once into a variable, for reuse on the page."""

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
        return ""


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

"""Site-wide template helpers: ``{% capture %}`` for reusing a block's output, ``{% record %}`` for keeping it,
``{% visitor_slot %}`` for the pieces of a kept block that differ with the visitor, and ``{% fragment %}`` for
pieces of one reader's page kept between content changes."""

from django import template
from django.utils.safestring import mark_safe

from aihiring.cache import cached_fragment, record_block, record_visitor_slot

register = template.Library()


def _enclosed(parser, token, usage, valid):
    """The tag's words and the template up to its end tag; ``usage`` is the error when ``valid(bits)`` fails."""
    bits = token.split_contents()
    if not valid(bits):
        raise template.TemplateSyntaxError(f"Usage: {usage}")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return bits, nodelist


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, var_name):
        self.nodelist = nodelist
        self.var_name = var_name

    def render(self, context):
        # The nodelist's output is already escaped by the template engine.
        context[self.var_name] = mark_safe(self.nodelist.render(context).strip())
        record_block(context, self.var_name, context[self.var_name])
        return ""


class RecordNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        output = self.nodelist.render(context)
        record_block(context, self.name, output)
        return output


@register.tag
def capture(parser, token):
    """Render the enclosed template (blocks included) into a variable: ``{% capture as name %}…{% endcapture %}``.

    base.html wraps its ``title`` and ``meta_description`` blocks in it so that a page sets each once and the
    value also fills the Open Graph tags.
    """
    usage = "{% capture as name %}…{% endcapture %}"
    bits, nodelist = _enclosed(parser, token, usage, lambda bits: len(bits) == 3 and bits[1] == "as")
    return CaptureNode(nodelist, bits[2])


@register.tag
def record(parser, token):
    """Output the enclosed template and keep what it rendered under ``name``: ``{% record name %}…{% endrecord %}``.

    base.html wraps its ``head``, ``breadcrumbs`` and ``content`` blocks in it, so views with
    ``aihiring.cache.ContentBlocksMixin`` can store them for later visitors.
    """
    bits, nodelist = _enclosed(parser, token, "{% record name %}…{% endrecord %}", lambda bits: len(bits) == 2)
    return RecordNode(nodelist, bits[1])


class VisitorSlotNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, obj, attribute):
        self.nodelist = nodelist
        self.obj = obj
        self.attribute = attribute

    def render(self, context):
        obj = self.obj.resolve(context)
        current = self.nodelist.render(context)
        if obj is None:
            return current
        missing = object()
        before = getattr(obj, self.attribute, missing)

        def render_with(value):
            setattr(obj, self.attribute, value)
            try:
                return self.nodelist.render(context)
            finally:
                if before is missing:
                    delattr(obj, self.attribute)
                else:
                    setattr(obj, self.attribute, before)

        slot = f"{self.attribute}:{obj.pk}"
        return record_visitor_slot(context, slot, lambda: render_with(False), lambda: render_with(True), current)


@register.tag
def visitor_slot(parser, token):
    """A piece that depends on one yes/no attribute of an object for this visitor:
    ``{% visitor_slot company "is_bookmarked" %}…{% endvisitor_slot %}``.

    Outside recorded blocks it only renders the piece. While ``aihiring.cache.ContentBlocksMixin`` records a page,
    it also renders the piece with the attribute False and True, so later visitors get theirs without the view.
    """
    usage = '{% visitor_slot object "attribute" %}…{% endvisitor_slot %}'
    bits, nodelist = _enclosed(parser, token, usage, lambda bits: len(bits) == 3)
    attribute = bits[2].strip("\"'")
    if not attribute.isidentifier():
        raise template.TemplateSyntaxError("visitor_slot: the attribute must be a quoted name")
    return VisitorSlotNode(nodelist, parser.compile_filter(bits[1]), attribute)


class FragmentNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        parts = [part.resolve(context) for part in self.parts]
        render = lambda: self.nodelist.render(context)  # noqa: E731
        return cached_fragment(request, self.name, parts, render, token=context.get("csrf_token"))


@register.tag
def fragment(parser, token):
    """Keep what the enclosed template renders until the content or one of the values changes:
    ``{% fragment "bookmark-card" bookmark.pk bookmark.updated_at … %}…{% endfragment %}``.

    The values must name everything the piece shows beyond the guide's content (see ``aihiring.cache.cached_fragment``).
    """
    usage = '{% fragment "name" value [value …] %}…{% endfragment %}'
    bits, nodelist = _enclosed(parser, token, usage, lambda bits: len(bits) >= 3)
    return FragmentNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])

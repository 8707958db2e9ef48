"""`{% fragment a b … %}…{% endfragment %}`: a part of a page rendered once per process for each
value of `a b …`, then given as it is (base.html's header and footer: the same for every
visitor of a kind, and a fifth of a page's rendering).

Whatever the part shows must be in the values, or be the same for everyone: nothing of one
request (no CSRF token, no path, no message) may be inside, except the simple tags marked
`@varies_per_request` (e.g. `nav_current`, which marks the link of the page's section): their
output is worked out on every render and is part of the key. What fixed addresses depend on is
added to the values (as `url_memo` does): the active language, the URLconf and the script prefix.
The rendered parts are kept on the template's node, so a template loaded again (edited, in
development) starts afresh."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from django import template
from django.conf import settings
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.library import SimpleNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()
F = TypeVar("F")
logger = logging.getLogger(__name__)

# More values than this means something varies that should not (a value of each request): the
# node's parts are then emptied rather than left to grow.
MOST = 2_000


def varies_per_request(function: F) -> F:
    """Marks a simple tag whose output a `{% fragment %}` around it varies on (cheap, and
    depending on the request)."""
    function.varies_per_request = True  # type: ignore[attr-defined]
    return function


class FragmentNode(Node):
    def __init__(self, nodelist: NodeList, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.vary_on = vary_on
        self.rendered: dict[tuple[Any, ...], SafeString] = {}
        self.varying: list[SimpleNode] = [
            node
            for node in nodelist.get_nodes_by_type(SimpleNode)
            if isinstance(node, SimpleNode) and getattr(node.func, "varies_per_request", False)
        ]

    def render(self, context: Any) -> SafeString:
        key = (
            tuple(value.resolve(context) for value in self.vary_on),
            tuple(self._output(node, context) for node in self.varying),
            context.autoescape,
            get_language(),
            settings.ROOT_URLCONF,
            get_urlconf(),
            get_script_prefix(),
        )
        try:
            html = self.rendered.get(key)
        except TypeError:  # a value that cannot be a key: rendered every time
            logger.warning("A {%% fragment %%} value cannot be a key: %r", key[0])
            return self.nodelist.render(context)
        if html is None:
            html = self.nodelist.render(context)  # a SafeString
            if len(self.rendered) >= MOST:
                self.rendered.clear()
            self.rendered[key] = html
        return html

    @staticmethod
    def _output(node: SimpleNode, context: Any) -> Any:
        """A varying tag's value (its function's, without the escaping and `as` of render)."""
        args, kwargs = node.get_resolved_arguments(context)
        return node.func(*args, **kwargs)


@register.tag
def fragment(parser: Parser, token: Token) -> FragmentNode:
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    return FragmentNode(nodelist, vary_on)

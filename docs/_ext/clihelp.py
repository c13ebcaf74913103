"""``.. cli-help:: MODULE``: the ``--help`` text of a command-line tool.

The text is the tool's own: its module's ``make_parser().format_help()``,
or its ``USAGE`` for a tool that hands its options to another program.
"""

import importlib

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class CliHelp(SphinxDirective):
    required_arguments = 1

    def run(self):
        module = importlib.import_module(self.arguments[0])
        if hasattr(module, 'make_parser'):
            text = module.make_parser().format_help()
        else:
            text = module.USAGE
        block = nodes.literal_block(text, text)
        block['language'] = 'text'
        return [block]


def setup(app):
    app.add_directive('cli-help', CliHelp)
    return {'parallel_read_safe': True}

"""``output-only``: the "source" is the answer itself, stored unchanged."""

from sio.compilers.base import Compiler


class OutputOnly(Compiler):
    """Output-only tasks: the submitted file is the output, kept as is."""

    lang = 'output-only'
    extension = '.txt'
    # The original sioworkers needs no out_file: the answer is the file sent.
    needs_out_file = False

    def commands(self, build):
        return []

    def result(self, build):
        return build.source

    def exec_info(self, build):
        return {'mode': 'output-only'}

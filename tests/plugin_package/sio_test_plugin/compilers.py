"""A compiler shipped as a sandbox archive: the plugin names the sandbox,
the compile job runs the compiler from it."""

from sio.compilers.system import SystemGcc

#: The sandbox the tests store for this compiler.
SANDBOX = 'test-shipped-cc'


class ShippedCc(SystemGcc):
    """C, compiled by the gcc of the sandbox ``test-shipped-cc``."""

    sandbox = SANDBOX

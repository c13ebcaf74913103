"""The original's executors: callable context managers that run a command.

A thin layer over :mod:`sio.workers.process`: the command line is run by
``/bin/sh`` under the project's supervisor, with the limits as
:class:`~sio.workers.process.Limits`.  How each class maps:

:class:`UnprotectedExecutor`, :class:`DetailedUnprotectedExecutor`
    limits only, no isolation (for trusted programs).
:class:`SupervisedExecutor`, :class:`Sio2JailExecutor`,
:class:`RealTimeSio2JailExecutor`, :class:`SandboxExecutor`,
:class:`PRootExecutor`
    isolated in bubblewrap (:class:`~sio.workers.process.Isolation`),
    never weaker than the ``exec`` job: the original's supervisor, sio2jail
    and PRoot are not needed and not used.  CPU time is measured, also
    by the sio2jail executors (this project counts no instructions).

Every ``__call__`` takes the original's arguments (see
:meth:`BaseExecutor.__call__`) and returns its ``renv`` dict.
"""


from sio.workers._isolated import (CompoundSandboxExecutor, PRoot32BitExecutor,
                                   PRootExecutor, RealTimeSio2JailExecutor,
                                   SandboxExecutor, Sio2JailExecutor, SupervisedExecutor)
from sio.workers._shell import ExecError, noquote, shellquote
from sio.workers._unprotected import (TLE_SHARE, BaseExecutor, DetailedUnprotectedExecutor,
                                      UnprotectedExecutor, execute_command, ulimit)

__all__ = [
    'BaseExecutor', 'CompoundSandboxExecutor', 'DetailedUnprotectedExecutor',
    'ExecError', 'PRoot32BitExecutor', 'PRootExecutor', 'RealTimeSio2JailExecutor',
    'SandboxExecutor', 'Sio2JailExecutor', 'SupervisedExecutor', 'TLE_SHARE',
    'UnprotectedExecutor', 'execute_command', 'noquote', 'shellquote', 'ulimit',
]

"""The compilers of :data:`sio.compilers.names.TABLE`, one class a row.

Each class is a subclass of the language's system compiler with the row's
standard and optimisation level; the entry points of the group
``sio.compilers`` point here.
"""

from sio.compilers import names
from sio.compilers.java import SystemJava
from sio.compilers.output_only import OutputOnly
from sio.compilers.python import SystemPython
from sio.compilers.system import SystemFpc, SystemGcc, SystemGxx

#: The system compiler of each language of the table.
BASES = {
    'c': SystemGcc,
    'cpp': SystemGxx,
    'pas': SystemFpc,
    'java': SystemJava,
    'py': SystemPython,
    'output-only': OutputOnly,
}


def _compiler_class(class_name, lang, standard, optimisation, aliases):
    base = BASES[lang]
    attributes = {'__module__': __name__, 'registered_as': aliases}
    details = []
    if standard is not None:
        attributes['standard'] = standard
        details.append(standard)
    if optimisation is not None:
        attributes['optimisation'] = optimisation
        details.append(optimisation)
    attributes['__doc__'] = '%s, registered as %s%s.' % (
        base.__name__, ', '.join(aliases),
        ' (%s)' % ', '.join(details) if details else '')
    return type(class_name, (base,), attributes)


#: Class name -> class, for every row of the table.
COMPILERS = {row[0]: _compiler_class(*row) for row in names.TABLE}
globals().update(COMPILERS)


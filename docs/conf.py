"""Sphinx configuration of the sioworkers documentation."""

import os
import sys

sys.path.insert(0, os.path.abspath('..'))
sys.path.insert(0, os.path.abspath('_ext'))

project = 'sioworkers'
author = 'the sioworkers developers'
copyright = '2026, ' + author
extensions = ['sphinx.ext.autodoc', 'sphinx.ext.viewcode', 'clihelp']
autodoc_member_order = 'bysource'
autodoc_default_options = {'members': False}
exclude_patterns = ['_build']
html_theme = 'alabaster'
nitpicky = False

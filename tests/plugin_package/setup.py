"""A third-party plugin package, as a user would write one: it registers its
jobs and filters with sioworkers purely through entry points."""

from setuptools import setup

setup(
    name='sio-test-plugin',
    version='1.0',
    packages=['sio_test_plugin'],
    entry_points={
        'sio.jobs': [
            'test-echo = sio_test_plugin.jobs:echo',
            'test-fail = sio_test_plugin.jobs:fail',
            'test-crash = sio_test_plugin.jobs:crash',
            'test-sleep = sio_test_plugin.jobs:sleep',
            'test-spin = sio_test_plugin.jobs:spin',
            'test-readonly = sio_test_plugin.jobs:readonly_leftovers',
            'test-print = sio_test_plugin.jobs:print_to_stdout',
            'test-chdir = sio_test_plugin.jobs:chdir_away',
            'test-not-dict = sio_test_plugin.jobs:not_dict',
            'test-unencodable = sio_test_plugin.jobs:unencodable',
            'test-exit = sio_test_plugin.jobs:exit_job',
            'test-nested = sio_test_plugin.jobs:nested',
            'test-broken = sio_test_plugin.missing_module:job',
            'test-original-detailed-exec = sio_test_plugin.original_style:detailed_exec',
            'test-original-jailed-exec = sio_test_plugin.original_style:jailed_exec',
            'test-original-run-twice = sio_test_plugin.original_style:run_twice',
        ],
        'sio.workers.filters': [
            'test-mark-a = sio_test_plugin.filters:mark_a',
            'test-mark-b = sio_test_plugin.filters:mark_b',
            'test-mark-c = sio_test_plugin.filters:mark_c',
            'test-raise = sio_test_plugin.filters:raise_error',
            'test-none = sio_test_plugin.filters:return_none',
            'test-broken-filter = sio_test_plugin.no_such_module:f',
        ],
        'sio.compilers': [
            'test-shipped-cc = sio_test_plugin.compilers:ShippedCc',
            'test-original-gcc = sio_test_plugin.original_style:run_gcc',
        ],
    },
)

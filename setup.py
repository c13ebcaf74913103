"""Packaging for sioworkers: every job, filter and compiler is an entry point."""

import os
import runpy

from setuptools import find_namespace_packages, setup

# The table of compiler names imports nothing, so it runs from the source tree.
COMPILER_NAMES = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             'sio', 'compilers', 'names.py'))

EXTRAS = {
    # [server]: filetracker-server (sio-run-filetracker, tests) needs gevent.
    'filetracker': ['filetracker[server]>=2.1'],
    'celery': ['celery[redis]>=5.3'],
    'progress': ['tqdm>=4.60'],
}
EXTRAS['all'] = sorted({req for reqs in EXTRAS.values() for req in reqs})
EXTRAS['dev'] = [
    'pytest>=7',
    'pytest-timeout>=2',
    'sphinx>=6',
    'redis>=4',
]

setup(
    name='sioworkers',
    version='2.0.0.dev0',
    description='Run batch jobs described by one JSON environ: judging programs, '
    'compiling, files through filetracker, optionally on Celery',
    long_description=open('README.rst', encoding='utf-8').read(),
    long_description_content_type='text/x-rst',
    license='GPL-3.0-or-later',
    python_requires='>=3.9',
    packages=find_namespace_packages(include=['sio', 'sio.*']),
    include_package_data=True,
    # The program supervisor is built from its C sources on first use.
    package_data={'sio.workers.process': ['supervisor.c', 'supervisor_memory.c',
                                           'supervisor_serve.c',
                                           'supervisor.h']},
    install_requires=['simplejson>=3', 'pyyaml>=5'],
    extras_require=EXTRAS,
    entry_points={
        'console_scripts': [
            'sio-batch = sio.workers.cli.batch:main',
            'sio-celery-worker = sio.workers.cli.celery_worker:main [celery]',
            'sio-compile = sio.workers.cli.compile:main',
            'sio-judge = sio.workers.cli.judge:main',
            'sio-get-sandbox = sio.workers.cli.get_sandbox:main',
            'sio-run-filetracker = sio.workers.cli.run_filetracker:main',
            'sio-worker = sio.workers.cli.sio_worker:main',
        ],
        'sio.jobs': [
            'ping = sio.workers.ping:run',
            'compile = sio.compilers.job:run',
            'exec = sio.executors.job:run_exec',
            'cpu-exec = sio.executors.job:run_cpu_exec',
            'unsafe-exec = sio.executors.job:run_unsafe_exec',
            'sio2jail-exec = sio.executors.job:run_sio2jail_exec',
            'ingen = sio.executors.ingen:run',
            'inwer = sio.executors.inwer:run',
            'interactive-exec = sio.executors.interactive:run',
            'cpu-interactive-exec = sio.executors.interactive:run_cpu',
            'sio2jail-interactive-exec = sio.executors.interactive:run_sio2jail',
            'unsafe-interactive-exec = sio.executors.interactive:run_unsafe',
        ],
        'sio.workers.filters': [],
        # One entry point per name of the table of compilers.
        'sio.compilers': COMPILER_NAMES['entry_points'](),
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Operating System :: POSIX :: Linux',
        'Topic :: Software Development :: Testing',
    ],
)

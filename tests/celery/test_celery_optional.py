"""Celery stays optional: the core and progress reports work without it."""

import subprocess
import sys

CHECK = """
import sys
from sio.workers import run
from sio.celery.progress import report_progress
result = run({'job_type': 'ping', 'ping': 1})
assert result['result'] == 'SUCCESS', result
assert report_progress(1, 2, stage='outside Celery') is False
print(sorted({m.split('.')[0] for m in sys.modules} & {'celery', 'kombu', 'billiard'}))
"""


def test_core_and_progress_reports_do_not_import_celery():
    completed = subprocess.run([sys.executable, '-c', CHECK], capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == '[]'

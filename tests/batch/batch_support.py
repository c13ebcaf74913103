"""Helpers of the batch-mode tests."""

import json


def json_lines(items):
    """JSON lines text: dicts encoded, strings kept as they are."""
    return ''.join((i if isinstance(i, str) else json.dumps(i)) + '\n' for i in items)

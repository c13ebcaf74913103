"""The worker after the run: traps left where the judge reads."""

import pytest

from .attacking import MODES


@pytest.mark.parametrize('mode', MODES)
def test_links_and_fifos_left_for_the_worker_change_nothing(attack, attacks, mode, canary,
                                                            tmp_path):
    keys = {}
    if mode != 'checker':
        hint = tmp_path / 'hint'
        hint.write_text('the answer\n')
        keys = dict(check_output=True, hint_file=str(hint), chk_file=attacks['compare'])
    found = attack('planter', mode, request=canary, **keys)
    # Every name was free to plant in its own directory but the checker's
    # four files (chk, in, out, hint), which are bound there read-only...
    assert found['planted'] == ('5' if mode == 'checker' else '9')
    # ...and its output cannot be reopened for writing, pointed elsewhere.
    assert found['reopen-stdout'] == 'refused'
    if mode != 'checker':
        # The checker judged the real output, which is not the canary.
        assert found.environ['result_code'] == 'WA'
        assert 'canary' not in (tmp_path / 'attack_out').read_text()

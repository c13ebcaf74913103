#!/usr/bin/env bash
# Sets up sioworkers in this checkout: the Debian packages it needs (through
# apt-get, only those missing) and a virtual environment in .venv with the
# project installed in editable mode.
#
#   scripts/setup.sh          what running jobs needs
#   scripts/setup.sh --dev    also what the tests, docs and benchmarks need
#
# Safe to run again: it does only what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=false
[ "${1:-}" = "--dev" ] && dev=true

lists=(requirements/system-runtime.txt)
$dev && lists+=(requirements/system-test.txt)

missing=()
for pkg in $(grep -hv '^\s*#' "${lists[@]}"); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$pkg")
done
python_ok=true
python3 -c 'import venv, ensurepip' 2>/dev/null || { python_ok=false; missing+=(python3-venv); }

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The security tests also run as an ordinary user (see "Running the worker
# as an ordinary user" in docs/security.rst): a system user of their own,
# whose subordinate ids 62000-62999 are the slots of that run.  Only root
# can make it; elsewhere those tests say how to get it.
test_user=sio-test-worker
if $dev && [ "$(id -u)" -eq 0 ]; then
    if ! id -u "$test_user" >/dev/null 2>&1; then
        echo "setup: adding the system user $test_user for the tests" >&2
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$test_user"
    fi
    grep -qx "$test_user:62000:1000" /etc/subuid 2>/dev/null \
        || usermod --add-subuids 62000-62999 "$test_user"
    grep -qx "$test_user:62000:1000" /etc/subgid 2>/dev/null \
        || usermod --add-subgids 62000-62999 "$test_user"
fi

extras=all
$dev && extras=all,dev
stamp=.venv/.sioworkers-setup
want="$extras $(cat "$0" setup.py tests/plugin_package/setup.py 2>/dev/null | cksum)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: preparing .venv (extras: $extras)" >&2
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check -U pip setuptools wheel
    # The 'compat' editable mode puts the checkout on sys.path with a plain
    # .pth line; the default mode's import hook costs every Python start-up
    # more than sio-batch itself needs.
    # setuptools calls that mode transitional: fall back to the default.
    .venv/bin/python -m pip install -q --disable-pip-version-check \
        --config-settings editable_mode=compat -e ".[$extras]" \
        || .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
    # The test plugin package is never installed into the environment
    # itself (an older set-up did: take it out again).
    .venv/bin/python -m pip uninstall -q -y sio-test-plugin >/dev/null 2>&1 || true
    if $dev; then
        # A third-party plugin package, registering its jobs and filters
        # purely through entry points, as a user's package would; installed
        # beside the environment, on the path of the tests only
        # (tests/conftest.py puts it there).
        rm -rf .venv/test-plugins
        .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps \
            --target .venv/test-plugins ./tests/plugin_package
    fi
    echo "$want" > "$stamp"
fi
# Byte-compile the checkout, as an installation from a wheel would be:
# where PYTHONDONTWRITEBYTECODE is set, every start would compile it again.
.venv/bin/python -m compileall -q sio >/dev/null
# The program supervisor (a small static C program every run goes through)
# is built once per machine; building it now keeps the first job fast.
.venv/bin/python -m sio.workers.process --build >/dev/null

# Sourced by scripts/quickstart and scripts/test: make .venv with a supported Python (3.11 to 3.13) unless
# it is there already. KARAVAN_PYTHON picks the interpreter.
make_venv() {
    if [ -x .venv/bin/python ]; then
        return
    fi
    local candidate python=""
    for candidate in ${KARAVAN_PYTHON:-} python3 python3.11 python3.12 python3.13; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
            python=$candidate
            break
        fi
    done
    if [ -z "$python" ]; then
        echo "karavan needs Python 3.11, 3.12 or 3.13 (with venv; Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
    echo "creating .venv with $("$python" --version)"
    "$python" -m venv .venv
}

#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter (Django 6 needs it), or fail with a hint.
set -euo pipefail
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12 python3)
for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions" /usr/local/bin /opt/python*/bin; do
  for p in "$root"/3.13*/bin/python3 "$root"/3.12*/bin/python3; do
    [ -x "$p" ] && candidates+=("$p")
  done
done
for c in "${candidates[@]}"; do
  if command -v "$c" >/dev/null 2>&1 || [ -x "$c" ]; then
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c" 2>/dev/null || echo "$c"
      exit 0
    fi
  fi
done
echo "需要 Python 3.12 或更高版本（Django 6 的要求）。请安装 python3.12，或用 PYTHON=/path/to/python3.12 make run 指定。" >&2
exit 1

#!/usr/bin/env bash
# Run a command as on a fresh machine without the optional system packages: chromium,
# chromium-driver, nginx-light, wrk, fonts-noto-cjk and WeasyPrint's libharfbuzz-subset.
#
#   scripts/without-optional-tools.sh make test
#
# The packages stay installed; inside a private mount namespace (root, util-linux `unshare`)
# their programs and libraries are covered by /dev/null (not executable, not loadable) and
# their font folders by empty ones, so `shutil.which`, dlopen and fontconfig find nothing.
# Nothing outside the command sees a change. CI (.ci/run) uses it to keep `make test` passing
# on such a machine; CI itself is unset inside, so tests that need a tool skip with the reason.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
PACKAGES="chromium chromium-driver nginx nginx-light nginx-common wrk fonts-noto-cjk libharfbuzz-subset0"

if [ "${GOVSITES_TOOLS_HIDDEN:-}" != "1" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "$0: needs root and unshare (util-linux) to hide the packages in a mount namespace" >&2
    exit 2
  fi
  exec unshare --mount --propagation private env GOVSITES_TOOLS_HIDDEN=1 "$0" "$@"
fi

hidden=0
for pkg in $PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || continue
  while IFS= read -r f; do
    if [ -f "$f" ] && [ ! -L "$f" ] && { [ -x "$f" ] || [[ "$f" == *.so* ]]; }; then
      mount --bind /dev/null "$f" && hidden=$((hidden + 1))
    fi
  done < <(dpkg -L "$pkg")
  # Fonts: an empty folder over each font folder (fontconfig then rescans and finds none).
  while IFS= read -r d; do
    [ -d "$d" ] && mount -t tmpfs -o size=1m,mode=755 none "$d" && hidden=$((hidden + 1))
  done < <(dpkg -L "$pkg" | grep -E '\.(ttc|otf|ttf)$' | xargs -r -n1 dirname | sort -u)
done
echo "without-optional-tools: $hidden files and folders of ($PACKAGES) hidden" >&2
unset CI
exec "$@"

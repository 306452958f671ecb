#!/usr/bin/env bash
# Installs the Debian packages souk builds and tests with — only those that are missing.
# Idempotent and quiet: prints nothing when everything is already installed.
# Works as root, or through sudo when run as another user; needs no terminal (CI, no stdin).
#
# Extra packages can be requested with SOUK_EXTRA_PACKAGES="pkg1 pkg2" (space separated).
set -euo pipefail

packages=(
  # toolchain
  g++ make cmake pkg-config ccache
  # library dependencies
  libboost-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev libsodium-dev nlohmann-json3-dev
  # tests
  doctest-dev python3-pytest
  # Python bindings (Debian's /usr/bin/python3)
  pybind11-dev python3-dev
)
if [[ -n "${SOUK_EXTRA_PACKAGES:-}" ]]; then
  read -r -a extra <<<"${SOUK_EXTRA_PACKAGES}"
  packages+=("${extra[@]}")
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing missing Debian packages: ${missing[*]}"

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
else
  echo "install-deps: not root and sudo is not available; install as root:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq </dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null

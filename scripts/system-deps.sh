#!/usr/bin/env bash
# Install the Debian packages given as arguments, but only those that are missing.
#
# A machine that has them all does nothing and prints one line. Otherwise the script runs
# `apt-get update` once and installs what is missing, as root or through sudo.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: this is not a Debian-based system; install the equivalents of: $*" >&2
    exit 1
fi

missing=()
for package in "$@"; do
    # `dpkg -s` also succeeds for a removed package whose configuration files remain, so read
    # the status and accept only "install ok installed".
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system-deps: all $# Debian packages present"
    exit 0
fi

echo "system-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
    echo "system-deps: missing ${missing[*]}; run as root (or install sudo) to install them:" >&2
    echo "    apt-get update && apt-get install ${missing[*]}" >&2
    exit 1
fi

"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "system-deps: installed ${missing[*]}"

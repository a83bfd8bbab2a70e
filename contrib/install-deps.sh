#!/bin/sh
# install-deps.sh: install what building, testing and running wachter needs
# on Debian 12, skipping packages that are already there. Needs root.
set -eu
pkgs="build-essential autoconf automake libtool pkg-config
libevent-dev libpq-dev libyaml-dev libsodium-dev zlib1g-dev libsystemd-dev
libssl-dev
postgresql postgresql-client python3 jq clang mandoc valgrind strace"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

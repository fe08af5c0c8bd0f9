#!/usr/bin/env bash
# .ci/install-pgvector.sh — pgvector for PostgreSQL $PG_MAJOR (default 15) on Debian 12 (bookworm).
#
# bookworm has no pgvector package, so it is built from Debian trixie's *source* package.
# Only a deb-src entry is added for trixie (no binary "deb" entry), so apt never installs or
# upgrades anything from trixie.
#
# Usage (as root):
#   install-pgvector.sh add-source   write /etc/apt/sources.list.d/vecstruct-trixie-src.sources
#   install-pgvector.sh build        apt-get source pgvector/trixie, make, make install
#                                    (needs apt-get update after add-source, and
#                                    postgresql-server-dev-$PG_MAJOR, make, gcc, dpkg-dev installed)
#   install-pgvector.sh              all of it: add-source, apt-get update, install build deps, build
# Every mode does nothing when vector.control and vector.so are already installed.
# .ci/run calls add-source and build itself, around its single apt-get update/install.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config"
VECTOR_CONTROL="/usr/share/postgresql/$PG_MAJOR/extension/vector.control"
VECTOR_SO="/usr/lib/postgresql/$PG_MAJOR/lib/vector.so"
SRC_FILE=/etc/apt/sources.list.d/vecstruct-trixie-src.sources
export DEBIAN_FRONTEND=noninteractive

installed() { [ -f "$VECTOR_CONTROL" ] && [ -f "$VECTOR_SO" ]; }

# The Debian mirror already configured on this machine (same host for trixie).
debian_mirror() {
  local uri
  uri=$(
    {
      # deb822 (.sources): "URIs: http://host/debian"
      grep -hs -E '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | sed -E 's/^[[:space:]]*URIs:[[:space:]]*//' | tr ' ' '\n'
      # one-line format: "deb [opts] http://host/debian bookworm main"
      grep -hs -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/\[[^]]*\]//' | awk '{print $2}'
    } | grep -E '^(https?|mirror\+https?)://' | grep -E '/debian/?$' | grep -v -- '-security' | head -n1
  )
  echo "${uri:-http://deb.debian.org/debian}"
}

add_source() {
  local mirror keyring content
  mirror=$(debian_mirror)
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  content="# Added by vecstruct .ci: trixie SOURCE packages only (pgvector is built from source).
# No binary (deb) entry on purpose: nothing is ever installed or upgraded from trixie.
Types: deb-src
URIs: $mirror
Suites: trixie
Components: main
Signed-By: $keyring
"
  if [ -f "$SRC_FILE" ] && [ "$(cat "$SRC_FILE")" = "${content%$'\n'}" ]; then
    echo "    $SRC_FILE already present ($mirror)"
  else
    printf '%s' "$content" >"$SRC_FILE"
    echo "    wrote $SRC_FILE (deb-src trixie from $mirror)"
  fi
}

build() {
  if installed; then
    echo "    pgvector already installed for PostgreSQL $PG_MAJOR"
    return 0
  fi
  [ -x "$PG_CONFIG" ] || { echo "missing $PG_CONFIG (postgresql-server-dev-$PG_MAJOR)" >&2; exit 1; }
  local work src
  work=$(mktemp -d /tmp/vecstruct-pgvector.XXXXXX)
  (
    cd "$work"
    echo "    apt-get source pgvector/trixie"
    # Source package is "pgvector" (binaries postgresql-NN-pgvector); pin the suite explicitly.
    apt-get -q -o APT::Sandbox::User=root -o Acquire::Retries=3 source pgvector/trixie
  )
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
  [ -n "$src" ] || { echo "apt-get source did not unpack pgvector" >&2; exit 1; }
  echo "    building $(basename "$src") against $("$PG_CONFIG" --version)"
  # OPTFLAGS="" avoids pgvector's default -march=native (portable binary, as Debian builds it).
  make -C "$src" -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
  make -C "$src" -s install PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
  rm -rf "$work"
  installed || { echo "pgvector install did not produce $VECTOR_CONTROL / $VECTOR_SO" >&2; exit 1; }
  echo "    installed $VECTOR_CONTROL"
}

case "${1:-all}" in
  add-source) installed || add_source ;;
  build) build ;;
  all)
    if installed; then echo "    pgvector already installed for PostgreSQL $PG_MAJOR"; exit 0; fi
    add_source
    apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 update
    # name only missing packages, so nothing already installed gets upgraded
    pkgs=()
    for p in "postgresql-server-dev-$PG_MAJOR" make gcc dpkg-dev; do
      dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || pkgs+=("$p")
    done
    if [ "${#pkgs[@]}" -gt 0 ]; then
      apt-get -q -y -o DPkg::Lock::Timeout=600 --no-install-recommends install "${pkgs[@]}"
    fi
    build
    ;;
  *) echo "usage: $0 [add-source|build|all]" >&2; exit 2 ;;
esac

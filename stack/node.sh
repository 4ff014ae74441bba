#!/usr/bin/env bash
# The Node.js the platform runs on: the release in .nvmrc (24 LTS), which runs the TypeScript
# sources itself (type stripping), so no build and no loader stand between a source and its process.
#
#   . stack/node.sh             puts that Node.js first on PATH (the scripts and .ci/run do this)
#   bash stack/node.sh ARGS…    runs it with ARGS (npm test, npm run bench use this)
#
# A machine whose own node is at least that major release uses it. Otherwise the official binary
# is fetched once from the npm registry (package node-linux-<arch>, its integrity checked by npm)
# into .stack/node/<version>, which is git-ignored like the rest of the stack.

node_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_wanted="$(tr -d '[:space:]v' <"$node_root/.nvmrc")"

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

node_ensure() {
  local home="${STACK_HOME:-$node_root/.stack}/node" arch tmp
  if [ "$(node_major)" -ge "${node_wanted%%.*}" ]; then return 0; fi
  if [ ! -x "$home/$node_wanted/bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) arch=x64 ;;
      Linux-aarch64) arch=arm64 ;;
      *)
        printf '[node] Node.js %s is needed (found %s); install it (for example with nvm) and retry\n' \
          "$node_wanted" "$(node --version 2>/dev/null || echo none)" >&2
        return 1
        ;;
    esac
    printf '[node] fetching Node.js %s (npm package node-linux-%s)…\n' "$node_wanted" "$arch" >&2
    mkdir -p "$home"
    tmp="$(mktemp -d "$home/.fetch.XXXXXX")"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$node_wanted" >/dev/null) &&
      mkdir "$tmp/node" && tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/node" --strip-components=1 &&
      "$tmp/node/bin/node" --version >/dev/null || {
      rm -rf "$tmp"
      printf '[node] could not fetch Node.js %s from the npm registry\n' "$node_wanted" >&2
      return 1
    }
    # A rename, so a run that starts meanwhile sees either no Node.js or a whole one.
    mv -T "$tmp/node" "$home/$node_wanted" 2>/dev/null || true
    rm -rf "$tmp"
  fi
  PATH="$home/$node_wanted/bin:$PATH"
  export PATH
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  node_ensure
  exec node "$@"
fi
node_ensure || return 1

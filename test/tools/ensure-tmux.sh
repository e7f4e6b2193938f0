#!/usr/bin/env bash
# The terminal end-to-end tests (test/e2e/) and `npm run bench -- console` drive the console in
# tmux; without it they are skipped. This says whether it is there and how to get it.
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then
  tmux -V
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y tmux >/dev/null && tmux -V && exit 0
fi
echo "tmux is not installed: install it (apt-get install tmux, brew install tmux) to run test/e2e/" >&2
exit 1

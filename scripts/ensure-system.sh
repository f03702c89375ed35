#!/usr/bin/env bash
# Install the Debian packages the portal needs when they are missing: PostgreSQL's server and the Noto
# fonts the PDFs are set in (always) and, with "--browser", Debian's chromium for the real-browser tests.
# Nothing is downloaded outside apt.
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -f /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf ] || need+=(fonts-noto-core)
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  need+=(chromium fonts-dejavu-core)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${need[*]}"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

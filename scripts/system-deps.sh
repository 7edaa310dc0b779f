#!/usr/bin/env bash
# Check (and, as root on Debian/Ubuntu, install) the system libraries the toolkit needs.
#   build : Pango for WeasyPrint, HarfBuzz's subset library (fast font subsetting)
#   test  : the above, plus Chromium for the browser tests and poppler-utils for PDF pictures
set -euo pipefail
what=${1:-build}
pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 shared-mime-info"
[ "$what" = test ] && pkgs="$pkgs chromium poppler-utils"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "Missing system packages:$missing" >&2
  echo "Install them with:  sudo apt-get install$missing" >&2
  exit 1
fi

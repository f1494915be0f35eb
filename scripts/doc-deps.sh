#!/usr/bin/env bash
# Installs what the document tests use (internal/platform/{docx,pdf,xlsx}):
# LibreOffice headless for DOCX/XLSX → PDF, the free CJK fonts the PDF
# converters substitute for the official ones, DejaVu for digits in the
# pure-Go renderer, and poppler-utils (pdftotext, pdftoppm) to read PDFs
# back. Debian package names, checked with apt-cache (bookworm, 2026-12).
set -euo pipefail
need=()
have() { dpkg -s "$1" >/dev/null 2>&1; }
for p in libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-droid-fallback fonts-dejavu-core poppler-utils; do
  have "$p" || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "doc-deps: all installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "doc-deps: installing ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"

#!/bin/sh
# The Linux twin of 安装.bat, for CI: find a Python 3.11-3.13 the same way (newest first), then the same
# install.py installs from this bundle's wheels/ offline.
cd "$(dirname "$0")" || exit 1
for candidate in python3.13 python3.12 python3.11 python3; do
  if "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) and sys.maxsize > 2**32 else 1)' >/dev/null 2>&1; then
    exec "$candidate" install.py
  fi
done
echo "没有找到 Python 3.11、3.12 或 3.13" >&2
exit 1

#!/bin/sh
# The man pages are clean under `mandoc -T lint` (warnings and worse).
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: mandoc not installed"; exit 77; }
status=0
for page in "$top_srcdir"/man/*.[1-9]; do
	mandoc -T lint -W warning "$page" || status=1
done
exit $status

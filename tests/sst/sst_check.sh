#!/bin/sh
# make check wrapper for tests/sst: runs the whole single-step suite and fails
# only if a group passes fewer tests than tests/sst/baseline.txt records.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
exec "$top_builddir/tests/sst/sst" --baseline "$top_srcdir/tests/sst/baseline.txt" "$@"

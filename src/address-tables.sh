#!/bin/sh
# SPDX-License-Identifier: ISC
# address-tables.sh: builds one C table header for src/address.c from its
# list with src/address-tables.awk (see there): check and normalise, sort in
# the C locale, write C. Used by the Makefile:
#   address-tables.sh AWK TABLE INPUT OUTPUT   (TABLE: names, tlds or suffixes)
set -eu
awk=$1 table=$2 input=$3 output=$4
script=$(dirname "$0")/address-tables.awk
LC_ALL=C
export LC_ALL
trap 'rm -f "$output.1" "$output.2" "$output.tmp"' EXIT
$awk -v table="$table" -v pass=1 -f "$script" "$input" >"$output.1"
sort "$output.1" >"$output.2"
$awk -v table="$table" -v pass=2 -f "$script" "$output.2" >"$output.tmp"
mv "$output.tmp" "$output"

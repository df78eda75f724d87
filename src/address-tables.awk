# SPDX-License-Identifier: ISC
# address-tables.awk: turns src/address-names.txt, the IANA root-zone list
# src/tlds-alpha-by-domain.txt and the Public Suffix List (Debian's
# publicsuffix package) into the C tables src/address.c searches.
# src/address-tables.sh runs it twice with LC_ALL=C sort between the passes,
# so each table comes out ordered by name length, then by name (the order
# address_find searches in):
#   awk -v table=names|tlds|suffixes -v pass=1 -f address-tables.awk INPUT > sortable
#   LC_ALL=C sort sortable > sorted
#   awk -v table=names|tlds|suffixes -v pass=2 -f address-tables.awk sorted > header
# A table is written as one string of NUL-terminated names and their offsets
# rather than an array of pointers, which would cost a relocation each.
# Any line it does not understand stops the build: a table that silently
# lost an entry would let a bad address PASS.

function die(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# The sort key: the name after its length, zero-padded.
function key(name) {
	return sprintf("%03d\t%s", length(name), name)
}

function ident(word) {
	gsub(/-/, "_", word)
	return toupper(word)
}

function is_domain(name) {
	return name ~ /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/ && name !~ /\.\./ && name !~ /(^|\.)-|-(\.|$)/
}

# ---- pass 1: check and normalise each entry to one sortable line ----------

pass == 1 && table == "names" {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	if (NF < 4)
		die("want KIND NAME WHY SOURCE")
	kind = $1
	name = $2
	why = $3
	if (kind ~ /^(reserved|sample|template|personal)$/) {
		section = "domain"
		if (!is_domain(name))
			die("not a lower-case domain: " name)
	} else if (kind ~ /^(placeholder|noreply)$/) {
		section = "mailbox"
		if (name !~ /^[a-z0-9!#$%&'*\/=?^`{|}~]+$/)
			die("not a mailbox name without '.', '-', '_' and '+': " name)
	} else {
		die("unknown kind: " kind)
	}
	if (why !~ /^[a-z0-9-]+$/)
		die("not a reason key: " why)
	print section "\t" key(name) "\t" kind "\t" why
	# A sample's first label also names its Microsoft 365 tenant
	# (contoso.onmicrosoft.com).
	if (kind == "sample") {
		label = name
		sub(/\..*/, "", label)
		print "tenant\t" key(label) "\t" kind "\t" why
	}
	next
}

pass == 1 && table == "tlds" {
	if (FNR == 1) {
		if ($0 !~ /^# Version [0-9]+, Last Updated /)
			die("first line is not IANA's '# Version YYYYMMDDNN, Last Updated ...'")
		version = $3
		sub(/,$/, "", version)
		line = $0
		sub(/^# /, "", line)
		# '#' sorts before every digit: the version stays first.
		print "#\t" version "\t" line
		next
	}
	name = tolower($0)
	if (!is_domain(name) || name ~ /\./)
		die("not a top-level domain: " $0)
	print "tld\t" key(name)
	next
}

# The Public Suffix List: a rule is the line up to its first blank; "//"
# starts a comment. Rules written in Unicode are left out (addresses and
# domain arguments here are ASCII; their xn-- forms are not in the list),
# and so are one-label rules: a domain argument needs two labels anyway.
pass == 1 && table == "suffixes" {
	if ($0 ~ /^\/\// || NF == 0)
		next
	rule = $1
	if (rule ~ /[^a-z0-9.*!-]/) {
		if (rule ~ /[A-Z_]/)
			die("not a rule of the Public Suffix List: " rule)
		next
	}
	section = "rule"
	if (rule ~ /^!/) {
		section = "exception"
		rule = substr(rule, 2)
	} else if (rule ~ /^\*\./) {
		section = "wildcard"
		rule = substr(rule, 3)
	}
	if (!is_domain(rule))
		die("a rule this reader does not understand: " $1)
	if (section == "rule" && rule !~ /\./)
		next
	print section "\t" key(rule)
	next
}

# ---- pass 2: the sorted lines as C ----------------------------------------

function open_table(name) {
	table_name = name
	n_entries = 0
	longest = 0
	offset = 0
	print "static const char address_" name "_text[] ="
}

function add_entry(name, len) {
	printf "    \"%s\\0\"\n", name
	entry_at[n_entries] = offset
	entry_len[n_entries] = len
	n_entries++
	offset += len + 1
	if (len > longest)
		longest = len
}

# Ends the table being written: the offsets, the length index (first[L] is
# the index of the first entry at least L bytes long, for L up to one past
# the longest, so the entries of length L are first[L] .. first[L + 1] - 1),
# what the names table knows of each entry, and the table itself.
function close_table(   i, len, about) {
	if (n_entries == 0)
		print "    \"\""
	print ";"
	printf "static const uint32_t address_%s_at[] = {", table_name
	for (i = 0; i < n_entries; i++)
		printf "%s%d,", (i % 12 == 0 ? "\n    " : " "), entry_at[i]
	if (n_entries == 0)
		printf "\n    0"
	print "\n};"
	printf "static const unsigned short address_%s_first[] = {", table_name
	i = 0
	for (len = 0; len <= longest + 1; len++) {
		while (i < n_entries && entry_len[i] < len)
			i++
		printf "%s%d,", (len % 16 == 0 ? "\n    " : " "), i
	}
	print "\n};"
	about = "NULL"
	if (table == "names") {
		printf "static const struct address_about address_%s_about[] = {\n", table_name
		for (i = 0; i < n_entries; i++)
			print entry_about[i]
		print "};"
		about = "address_" table_name "_about"
	}
	printf "static const struct address_table address_%s = {\n", table_name
	printf "    address_%s_text, address_%s_at, address_%s_first, %d, %s\n", table_name, table_name, table_name, longest, about
	print "};"
	table_name = ""
}

pass == 2 && FNR == 1 {
	print "/* Generated by src/address-tables.awk: do not edit (see src/address.c). */"
	if (table == "suffixes") {
		# Every table is written, even one the list leaves empty.
		want["rule"] = want["wildcard"] = want["exception"] = 1
	}
}

pass == 2 {
	n = split($0, f, "\t")
	if (table == "tlds" && f[1] == "#") {
		print "#define ADDRESS_TLD_VERSION \"" f[2] "\""
		print "#define ADDRESS_TLD_HEADER \"" f[3] "\""
		next
	}
	section = f[1]
	name = f[3]
	if (section == last_section && name == last_name) {
		# Two samples may share a first label, the list may repeat a rule.
		if (section == "tenant" || table == "suffixes")
			next
		die("entry given twice: " name)
	}
	if (section != last_section) {
		if (table_name != "")
			close_table()
		open_table(table == "suffixes" ? "suffix_" section "s" : section == "tld" ? "tlds" : section)
		delete want[section]
	}
	if (table == "names")
		entry_about[n_entries] = sprintf("    { ADDRESS_KIND_%s, WHY_%s },", ident(f[4]), ident(f[5]))
	add_entry(name, f[2] + 0)
	count[section]++
	last_section = section
	last_name = name
	next
}

END {
	if (failed)
		exit 1
	if (pass != 2)
		exit 0
	if (table_name != "")
		close_table()
	for (section in want) {
		open_table("suffix_" section "s")
		close_table()
	}
	if (table == "names" && last_section != "tenant")
		die("no domain, mailbox or sample entries")
	if (table == "tlds" && count["tld"] < 250)
		die("fewer than 250 top-level domains: not the IANA list")
	if (table == "suffixes" && count["rule"] < 1000)
		die("fewer than 1000 rules: not the Public Suffix List")
}

# Writes a house pack of 500 rules from a phrase list (one per line), for
# bench/run.sh. mode=regex: each rule a regex with the README's word
# boundary around the phrase; mode=phrases: the same literals as phrases.
# Past the end of the list, phrases come round again with a number added.
{ phrase[n++] = $0 }
END {
    print "pack: house"
    print "title: 500 rules, as a legal team might write them"
    print "rules:"
    for (i = 0; i < 500; i++) {
        p = phrase[i % n]
        if (i >= n) p = p " " i
        printf "  - id: r%d\n    severity: info\n    message: house rule %d\n    scope: body\n", i, i
        # Single-quoted YAML: backslashes are literal, a quote is doubled.
        if (mode == "regex") {
            gsub(/[][.^$*+?(){}|\\]/, "\\\\&", p)
            gsub(/'/, "''", p)
            printf "    forbid:\n      regex: '(?:^|[^\\p{L}])(%s)'\n", p
        } else {
            gsub(/'/, "''", p)
            printf "    forbid:\n      phrases: ['%s']\n", p
        }
    }
}

#!/bin/sh
# compare root vs unpriv sections of an output file after masking times/addresses/pids
f=$1
norm() { sed -E 's/\[(root|unpriv)\]/[X]/; s/t=[0-9.]+ms/t=T/g; s/took [0-9.]+ms/took T/; s/0x7f[0-9a-f]{10}/0x7fADDR/g; s/7f[0-9a-f]{10}/7fADDR/g; s/ptid=[0-9]+/ptid=P/; s/\(toucher tid=[0-9]+\)//; s/pfn=0x[0-9a-f]+/pfn=PFN/g; s/pagemap=0x[0-9a-f]+/pagemap=PM/g; s/ino:\s+[0-9]+//; s/pid [0-9]+/pid N/g; s/tid=[0-9]+/tid=N/g' ; }
awk '/===== .* as root/{p=1} /===== .* as unpriv/{p=0} p' $f | grep -v "=====" | norm > /tmp/r.$$
awk '/===== .* as unpriv/{p=1} p' $f | grep -v "=====\|Uid:\|Gid:\|Cap" | norm > /tmp/u.$$
diff /tmp/r.$$ /tmp/u.$$ && echo "root == unpriv (masked)"
rm -f /tmp/r.$$ /tmp/u.$$

#!/bin/sh
# compare root vs unpriv output of $1 masking pfns/tids
f=$1
m() { sed -E 's/pfn=[0-9a-fx]+/pfn=X/; s/raw=0x([0-9a-f]{4})[0-9a-f]+/raw=0x\1../; s/ptid=[0-9]+/ptid=T/; s/tid=[0-9]+/tid=T/g; s/ino:\s*[0-9]+//'; }
grep '^\[root\]' $f | sed 's/^\[root\]//' | m > /tmp/r.$$
grep '^\[unpriv\]' $f | sed 's/^\[unpriv\]//' | m > /tmp/u.$$
diff /tmp/r.$$ /tmp/u.$$ && echo "root == unpriv (masked)"
rm -f /tmp/r.$$ /tmp/u.$$

#!/bin/bash
# Reclaim under pressure on this machine's kernel, as ReclaimTests checks it in the model: each case of pressure.c
# runs in a 16 MiB memory cgroup (cgroup v1), pinned to CPU 0, with a 64 MiB swap file on and then without swap.
# As root:  gcc -O1 -o /tmp/pressure native/probes/pressure.c && bash native/probes/pressure.sh
set -u
CG=/sys/fs/cgroup/memory/mmsimpress
mkdir -p $CG
echo 16M > $CG/memory.limit_in_bytes
run() { # $1 test
  bash -c "echo \$\$ > $CG/cgroup.procs; exec taskset -c 0 ${PRESSURE:-/tmp/pressure} $1"; echo "exit=$?"
}
dd if=/dev/zero of=/tmp/pressure-swapf bs=1M count=64 status=none; chmod 600 /tmp/pressure-swapf; mkswap /tmp/pressure-swapf >/dev/null; swapon /tmp/pressure-swapf
for t in A D E F; do run $t; done
swapoff /tmp/pressure-swapf; rm -f /tmp/pressure-swapf
for t in B C E; do run $t; done
cat $CG/memory.oom_control | head -3
rmdir $CG
swapon --show

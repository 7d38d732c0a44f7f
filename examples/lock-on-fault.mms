# Lock on fault (mlock2(MLOCK_ONFAULT), Linux 4.4): lock a large, sparsely used region without faulting it all in.
# mlock() would populate all 4M at once; with MLOCK_ONFAULT only the pages the program touches become resident,
# and each is locked as it faults in. locked_vm (VmLck) is charged for the whole range either way.
mmap(0x100000000000, 4M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $buf
mlock2($buf, 4M, MLOCK_ONFAULT) = 0
smaps($buf) = {Size=4096, Rss=0, Locked=0, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=4096}
# sparse accesses: Locked follows the touched pages only
store($buf+12K, "a")
store($buf+1M+4K, "b")
store($buf+3M, "c")
smaps($buf) = {Rss=12, Locked=12}
touch($buf+2M, 20K, WRITE)
smaps($buf) = {Rss=32, Locked=32}
# growing it with mremap keeps lock-on-fault (VM_LOCKONFAULT is a sticky VMA flag): the new 2M are charged
# to locked_vm but not populated, where a plain mlock()ed mapping would be faulted in completely
mremap($buf, 4M, 6M, 0, 0) = $buf
smaps($buf) = {Size=6144, Rss=32, Locked=32, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=6144}
store($buf+5M, "d")
smaps($buf) = {Rss=36, Locked=36}
# munlock keeps the pages but no longer locks them
munlock($buf, 6M) = 0
smaps($buf) = {Rss=36, Locked=0, VmFlags="rd wr mr mw me ac"}
status() = {VmLck=0}

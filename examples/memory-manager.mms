# Seed 004: a userspace memory manager (an allocator, a GC's heap trimmer, a proxy for another process) gives back
# many scattered free runs at once. process_madvise(MADV_DONTNEED) takes them in one call, as one vector under one
# mmu_gather; madvise() takes one call per run. Both leave the same memory behind. Guard pages fence the arena.
#
#   dotnet run --project src/MmSim.Cli -- run examples/memory-manager.mms
#   dotnet run --project src/MmSim.Cli -- run --kernel examples/memory-manager.mms    # the same on this machine's kernel
#
# The arena: 64 KiB of heap between two guard pages, all of it used.
mmap(0x100000000000, 72K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $heap
madvise($heap, 4K, MADV_GUARD_INSTALL) = 0
madvise($heap+68K, 4K, MADV_GUARD_INSTALL) = 0
madvise($heap+4K, 64K, MADV_POPULATE_WRITE) = 0
smaps($heap) = {Rss=64, VmFlags="rd wr mr mw me gu ac"}
store($heap+68K, "overrun") = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$heap+68K}

# Four free runs, given back in one call: the result is the bytes advised.
pidfd_open($main, 0) = $self
process_madvise($self, [{iov_base=$heap+4K, iov_len=4K}, {iov_base=$heap+12K, iov_len=8K}, {iov_base=$heap+28K, iov_len=4K}, {iov_base=$heap+40K, iov_len=12K}], 4, MADV_DONTNEED, 0) = 28672
smaps($heap) = {Rss=36}
load($heap+12K, 1) = "\0"

# The same with madvise(): one call per run.
madvise($heap+8K, 4K, MADV_DONTNEED) = 0
madvise($heap+20K, 8K, MADV_DONTNEED) = 0
smaps($heap) = {Rss=24}

# A run that was never mapped stops the vector where it is: the ranges before it are done.
process_madvise($self, [{iov_base=$heap+32K, iov_len=4K}, {iov_base=0x100000100000, iov_len=4K}, {iov_base=$heap+56K, iov_len=4K}], 3, MADV_DONTNEED, 0) = 4096
smaps($heap) = {Rss=20}

# Another process may not be told to drop its memory: only COLD, PAGEOUT, WILLNEED and COLLAPSE go to another
# process, and only with CAP_SYS_NICE.
fork() = $child
pidfd_open($child, 0) = $pc
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
process_madvise($pc, [{iov_base=$heap+4K, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 EINVAL (Invalid argument)
process_madvise($pc, [{iov_base=$heap+4K, iov_len=4K}], 1, MADV_COLD, 0) = -1 EPERM (Operation not permitted)

using MmSim.Mm;

namespace MmSim;

/// <summary>Machine-wide configuration: the simulated RAM and the sysctls (vm.*) that mm reads.</summary>
public sealed record KernelConfig
{
    /// <summary>Simulated RAM in bytes (MemTotal). Frames are allocated lazily, so a large value costs nothing until used.</summary>
    public ulong RamBytes { get; init; } = 4UL << 30;
    /// <summary>vm.max_map_count.</summary>
    public int MaxMapCount { get; init; } = 65530;
    /// <summary>vm.overcommit_memory: 0 heuristic, 1 always, 2 never.</summary>
    public int OvercommitMemory { get; init; }
    /// <summary>vm.overcommit_ratio (percent), used when OvercommitMemory is 2.</summary>
    public int OvercommitRatio { get; init; } = 50;
    /// <summary>/sys/kernel/mm/transparent_hugepage/enabled: "always", "madvise" (this machine's) or "never".
    /// Huge pages are not allocated yet; the setting decides smaps' THPeligible.</summary>
    public string TransparentHugepage { get; init; } = "madvise";
    /// <summary>stack_guard_gap in bytes (kernel command line stack_guard_gap=, default 256 pages).</summary>
    public ulong StackGuardGap { get; init; } = 256UL << 12;
    /// <summary>vm.mmap_min_addr (dac_mmap_min_addr): mapping below it needs CAP_SYS_RAWIO. 4096 on this machine.</summary>
    public ulong MmapMinAddr { get; init; } = 4096;
    /// <summary>
    /// The first process's capability sets. By default CAP_IPC_LOCK, CAP_SYS_RAWIO and CAP_SYS_PTRACE are permitted but not
    /// effective (<see cref="CapSets.ModelPermitted"/>): the process is unprivileged until a
    /// capset() raises one, as the kernel runner's processes are.
    /// </summary>
    public CapSets InitialCapabilities { get; init; } = CapSets.ModelPermitted;
    /// <summary>A swap file of this many bytes is on from the start (0: no swap, as this machine by default).</summary>
    public ulong SwapBytes { get; init; }
    /// <summary>vm.unprivileged_userfaultfd: 0 (this machine's) makes userfaultfd() without UFFD_USER_MODE_ONLY need CAP_SYS_PTRACE.</summary>
    public int UnprivilegedUserfaultfd { get; init; }
    /// <summary>vm.swappiness (0 to 200): how readily reclaim swaps anonymous memory rather than dropping file pages. 60.</summary>
    public int Swappiness { get; init; } = 60;
    /// <summary>vm.min_free_kbytes; 0 computes the kernel's default for <see cref="RamBytes"/> (sqrt(16 × RAM in KiB), 128 KiB to 256 MiB).</summary>
    public long MinFreeKbytes { get; init; }
    /// <summary>vm.watermark_scale_factor (1 to 3000, in 1/10000 of RAM): the distance between the min, low and high watermarks. 10.</summary>
    public int WatermarkScaleFactor { get; init; } = 10;
}

/// <summary>The simulated machine: physical memory, shmem, the process table, sysctls and counters.</summary>
public sealed partial class Kernel
{
    private readonly SortedDictionary<int, Process> _processes = [];
    // Every task that can be found by its id: live tasks, and a leader that exited before its threads.
    private readonly Dictionary<int, TaskStruct> _tasks = [];
    private int _nextPid = 1;
    private ulong _nextInode = 1;

    public Kernel(KernelConfig? config = null)
    {
        Config = config ?? new KernelConfig();
        Phys = new PhysicalMemory(Config.RamBytes);
        Swappiness = Config.Swappiness;
        MinFreeKbytes = Config.MinFreeKbytes != 0 ? Config.MinFreeKbytes : Phys.DefaultMinFreeKbytes;
        WatermarkScaleFactor = Config.WatermarkScaleFactor;
        Phys.SetWatermarks(MinFreeKbytes, WatermarkScaleFactor);
        Swap = new Mm.Swap.SwapState(Phys);
        Lru = new Mm.Reclaim.Lru(Phys, VmStat);
        Vmscan = new Mm.Reclaim.Vmscan(this);
        if (Config.SwapBytes != 0 && Swap.Swapon(Config.SwapBytes) != 0)
            throw new ArgumentException($"KernelConfig.SwapBytes {Config.SwapBytes} is not a size mkswap accepts (10 pages at least)", nameof(config));
        Init = Process.CreateInit(this, _nextPid++);
        AddProcess(Init);
    }

    public KernelConfig Config { get; }

    internal PhysicalMemory Phys { get; }

    /// <summary>The swap devices, their slots and the swap cache.</summary>
    internal Mm.Swap.SwapState Swap { get; }

    /// <summary>vm.swappiness.</summary>
    internal int Swappiness { get; private set; }

    /// <summary>vm.min_free_kbytes.</summary>
    internal long MinFreeKbytes { get; private set; }

    /// <summary>vm.watermark_scale_factor.</summary>
    internal int WatermarkScaleFactor { get; private set; }

    /// <summary>
    /// Writes a sysctl the model reads at run time: <c>vm.page-cluster</c> (0 to 31; swap readahead reads up to
    /// 2^N slots), <c>vm.swappiness</c> (0 to 200), <c>vm.min_free_kbytes</c> and <c>vm.watermark_scale_factor</c>
    /// (1 to 3000; both recompute the watermarks). 0, or -EINVAL for a value out of range, -ENOENT for a name the
    /// model does not have.
    /// </summary>
    public long Sysctl(string name, long value)
    {
        switch (name)
        {
            case "vm.page-cluster":
                if (value < 0 || value > 31)
                    return -(long)Abi.Errno.EINVAL;
                Swap.PageCluster = (int)value;
                return 0;
            case "vm.swappiness":
                if (value < 0 || value > 200)
                    return -(long)Abi.Errno.EINVAL;
                Swappiness = (int)value;
                return 0;
            case "vm.min_free_kbytes":
                if (value < 0 || value > int.MaxValue)
                    return -(long)Abi.Errno.EINVAL;
                MinFreeKbytes = value;
                Phys.SetWatermarks(MinFreeKbytes, WatermarkScaleFactor);
                return 0;
            case "vm.watermark_scale_factor":
                if (value < 1 || value > 3000)
                    return -(long)Abi.Errno.EINVAL;
                WatermarkScaleFactor = (int)value;
                Phys.SetWatermarks(MinFreeKbytes, WatermarkScaleFactor);
                return 0;
            default:
                return -(long)Abi.Errno.ENOENT;
        }
    }

    /// <summary>The folios' LRU state and the CPU's folio batches.</summary>
    internal Mm.Reclaim.Lru Lru { get; }

    /// <summary>Page reclaim.</summary>
    internal Mm.Reclaim.Vmscan Vmscan { get; }

    /// <summary>lru_add_drain(): the CPU's folio batches go to the LRU lists.</summary>
    internal void LruAddDrain() => Lru.Drain();

    /// <summary>
    /// swapon() of a new swap file of <paramref name="bytes"/> (mkswap'd: its first page is the header), after the
    /// devices already on, at the next lower priority. 0, or -EINVAL for fewer than 10 pages, -EPERM when 31 are on.
    /// </summary>
    public long Swapon(ulong bytes) => Swap.Swapon(bytes);

    /// <summary>The first process, <c>$main</c> in scenarios.</summary>
    public Process Init { get; }

    /// <summary>Live processes, by pid.</summary>
    public IEnumerable<Process> Processes => _processes.Values;

    /// <summary>
    /// The same, in pid order, for loops that must not allocate (reclaim's rmap walk of a shmem folio): a list, whose
    /// enumerator is a struct, where the sorted dictionary's allocates a stack for each walk.
    /// </summary>
    internal List<Process> ProcessTable { get; } = [];

    public Process? FindProcess(int pid) => _processes.GetValueOrDefault(pid);

    /// <summary>The task with this tid (find_task_by_vpid()), or null. A pid finds its process's leader.</summary>
    public TaskStruct? FindTask(int tid) => _tasks.GetValueOrDefault(tid);

    /// <summary>vm_committed_as, in pages (Committed_AS).</summary>
    internal long CommittedPages { get; private set; }

    /// <summary>Frames with PG_mlocked (Mlocked in meminfo).</summary>
    internal long NrMlock { get; set; }

    /// <summary>Pages in all shmem page caches (Shmem in meminfo).</summary>
    internal long NrShmem { get; set; }

    /// <summary>Processes killed by the OOM killer (oom_kill in /proc/vmstat).</summary>
    public long OomKills => VmStat.OomKill;

    /// <summary>The machine's event counters (/proc/vmstat).</summary>
    public VmStat VmStat { get; } = new();

    /// <summary>/proc/vmstat of the simulated machine: the counters the model keeps.</summary>
    public string ProcVmstat() => VmStat.Text();

    /// <summary>
    /// Pages in vm_committed_as that no VMA or file accounts for. Linux 6.18 leaks them: an mremap() that
    /// shrinks and moves a VM_ACCOUNT mapping (MREMAP_FIXED with new_len &lt; old_len) charges the shrink's
    /// delta again after unmapping the tail. Validate() adds them to its recomputation.
    /// </summary>
    internal long CommittedUnbacked { get; set; }

    /// <summary>/proc/meminfo of the simulated machine.</summary>
    public string ProcMeminfo() => ProcFs.Meminfo(this);

    internal int AllocPid() => _nextPid++;

    internal void AddProcess(Process p)
    {
        _processes.Add(p.Pid, p);
        // Pids only grow (AllocPid), so appending keeps the list in pid order.
        ProcessTable.Add(p);
        _tasks.Add(p.Pid, p.Leader);
    }

    internal void RemoveProcess(Process p)
    {
        _processes.Remove(p.Pid);
        ProcessTable.Remove(p);
        _tasks.Remove(p.Pid);
    }

    internal void AddTask(TaskStruct task) => _tasks.Add(task.Tid, task);

    internal void RemoveTask(TaskStruct task) => _tasks.Remove(task.Tid);

    /// <summary>__vm_enough_memory(): charge pages to vm_committed_as if the overcommit policy allows.</summary>
    internal bool VmEnoughMemory(MmStruct? mm, long pages)
    {
        CommittedPages += pages;
        long total = Phys.TotalFrames;
        switch (Config.OvercommitMemory)
        {
            case 1:
                return true;
            case 0:
                // OVERCOMMIT_GUESS: no single request larger than RAM and swap together.
                if (pages > total + Swap.TotalPages)
                    break;
                return true;
            default:
                long allowed = total * Config.OvercommitRatio / 100 + Swap.TotalPages;
                // Scenario processes lack CAP_SYS_ADMIN: admin_reserve_kbytes (min(free/32, 8 MiB) at boot) is kept back.
                allowed -= Math.Min(total / 32, (8L << 20) >> 12);
                // user_reserve_kbytes (min(free/32, 128 MiB)): don't let one process grow so big a user can't recover.
                if (mm is not null)
                    allowed -= Math.Min(mm.TotalVm / 32, Math.Min(total / 32, (128L << 20) >> 12));
                if (CommittedPages < allowed)
                    return true;
                break;
        }
        CommittedPages -= pages;
        return false;
    }

    internal void VmUnacctMemory(long pages) => CommittedPages -= pages;

    /// <summary>vm_acct_memory(): charge without the overcommit check.</summary>
    internal void VmAcctMemory(long pages) => CommittedPages += pages;

    internal ShmemFile CreateShmemFile(string name, long size, bool isMemfd, long accounted)
    {
        return new ShmemFile(_nextInode++, name, size, isMemfd) { Users = 1, AccountedPages = accounted };
    }

    /// <summary>fput(): drop one user of the file; the last one truncates the page cache and unaccounts it.</summary>
    internal void PutFile(ShmemFile file)
    {
        if (--file.Users > 0)
            return;
        TruncateShmem(file, 0);
        VmUnacctMemory(file.AccountedPages);
        file.AccountedPages = 0;
    }

    /// <summary>shmem_acct_blocks(): memfd (VM_NORESERVE) files are charged page by page.</summary>
    internal bool ShmemAcctBlock(ShmemFile file, MmStruct? mm)
    {
        if (!file.IsMemfd)
            return true;
        if (!VmEnoughMemory(mm, 1))
            return false;
        file.AccountedPages++;
        return true;
    }

    internal void ShmemUnacctBlock(ShmemFile file)
    {
        if (!file.IsMemfd)
            return;
        VmUnacctMemory(1);
        file.AccountedPages--;
    }

    /// <summary>
    /// shmem_truncate_range() from <paramref name="fromIndex"/>: unmap those pages from every mapping
    /// (unmap_mapping_range()), then drop them from the cache.
    /// </summary>
    internal void TruncateShmem(ShmemFile file, ulong fromIndex) => RemoveShmemPages(file, fromIndex, ulong.MaxValue, evenCows: true);

    /// <summary>
    /// shmem_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) over the pages [fromIndex, toIndex): unmapped from
    /// every mapping except private copies (unmap_mapping_range(even_cows = 0)), then dropped from the cache; the
    /// size stays.
    /// </summary>
    internal void PunchHoleShmem(ShmemFile file, ulong fromIndex, ulong toIndex) => RemoveShmemPages(file, fromIndex, toIndex, evenCows: false);

    private void RemoveShmemPages(ShmemFile file, ulong fromIndex, ulong toIndex, bool evenCows)
    {
        foreach (var (index, entry) in file.SwapBetween(fromIndex, toIndex))
        {
            ShmemFreeSwap(file, index, entry);
            ShmemUnacctBlock(file);
        }
        if (file.NrPages == 0)
            return;
        foreach (var p in _processes.Values)
            p.Mm?.UnmapMappingRange(file, fromIndex, toIndex, evenCows);
        bool drained = false;
        foreach (var (index, pfn) in file.PagesFrom(fromIndex))
        {
            if (index >= toIndex)
                continue;
            // shmem_undo_range() releases the folios it found with folio_batch_release(), which drains the CPU's folio
            // batches first (measured on 6.18: ftruncate, MADV_REMOVE and a file's release drain when pages go).
            if (!drained)
            {
                LruAddDrain();
                drained = true;
            }
            file.Remove(index);
            NrShmem--;
            ShmemUnacctBlock(file);
            Phys.Put(pfn);
        }
    }

    /// <summary>
    /// out_of_memory(): kill the process with the highest oom_badness() (RSS + swap + page tables).
    /// Returns false when there is nothing left to kill.
    /// </summary>
    internal bool OutOfMemory()
    {
        Process? victim = null;
        long worst = -1;
        foreach (var p in _processes.Values)
        {
            if (p.Mm is null || p.Embryo)
                continue;
            long points = p.Mm.Rss + p.Mm.SwapEnts + p.Mm.PageTables.Bytes / 4096;
            if (points > worst)
            {
                worst = points;
                victim = p;
            }
        }
        if (victim is null)
            return false;
        KillForOom(victim);
        return true;
    }

    /// <summary>
    /// The page allocator's slow path (__alloc_pages_slowpath()) for an allocation on behalf of
    /// <paramref name="current"/> that found no more than the low watermark free: kswapd is woken and runs at once;
    /// then, if the min watermark still holds nothing, direct reclaim runs, again while it makes progress (at most
    /// MAX_RECLAIM_RETRIES times without), and only then the OOM killer. True when the allocation is worth trying
    /// again, at the min watermark (for <paramref name="pages"/> allocations in a row); false when nothing could be
    /// freed or <paramref name="current"/> was killed.
    /// </summary>
    internal bool AllocSlowPath(Process current, int pages = 1)
    {
        Vmscan.WakeKswapd();
        int noProgress = 0;
        while (Phys.FreeFrames < Phys.WmarkMin + pages)
        {
            if (noProgress < Mm.Reclaim.Vmscan.MaxReclaimRetries)
            {
                if (Vmscan.TryToFreePages() == 0)
                    noProgress++;
                continue;
            }
            if (!OutOfMemory() || !current.IsAlive)
                return false;
            noProgress = 0;
        }
        Phys.AllowMinWatermark(pages);
        return true;
    }

    internal void KillForOom(Process victim)
    {
        VmStat.OomKill++;
        victim.Die(Abi.Signal.SIGKILL, 0);
    }
}

/// <summary>A model invariant is broken: a bug in MmSim, never a user's mistake.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);

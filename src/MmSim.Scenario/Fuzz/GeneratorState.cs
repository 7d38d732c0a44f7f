using System.Globalization;
using System.Text;

namespace MmSim.Scenario.Fuzz;

/// <summary>One entry of the op mix: <paramref name="Emit"/> returns a statement, or null when the op does not apply now.</summary>
internal sealed record FuzzOp(string Name, int Weight, Func<GeneratorState, string?> Emit);

/// <summary>
/// What the generator knows while it writes a scenario: the live processes, each one's open fd variables and
/// (approximately) which arena pages it has mapped. The page map is a guess, used only to aim accesses at
/// mapped memory more often than chance would; validity never depends on it. The process list and fd tables
/// are exact, because they follow only calls that cannot fail as generated.
/// </summary>
internal sealed partial class GeneratorState(FuzzOptions options)
{
    /// <summary>Keeps memfd_create and dup far from EMFILE, so their bindings cannot fail.</summary>
    private const int MaxFdsPerProcess = 6;

    /// <summary>brk() moves within this many pages above $brk0.</summary>
    private const int BrkPages = 32;

    private const int PageSize = 4096;

    private static readonly (string, int)[] s_prots =
    [
        ("PROT_NONE", 8), ("PROT_READ", 20), ("PROT_READ|PROT_WRITE", 50), ("PROT_READ|PROT_EXEC", 8),
        ("PROT_READ|PROT_WRITE|PROT_EXEC", 5), ("PROT_WRITE", 5), ("PROT_EXEC", 4),
    ];

    private static readonly (string, int)[] s_anonTypes = [("MAP_PRIVATE", 6), ("MAP_SHARED", 3), ("MAP_SHARED_VALIDATE", 1)];

    private static readonly (string, int)[] s_fileTypes = [("MAP_SHARED", 6), ("MAP_PRIVATE", 3), ("MAP_SHARED_VALIDATE", 1)];

    // "99" is no advice at all: madvise_behavior_valid() says EINVAL.
    private static readonly (string, int)[] s_advice =
    [
        ("MADV_DONTNEED", 6), ("MADV_DONTFORK", 2), ("MADV_DOFORK", 2), ("MADV_WIPEONFORK", 2), ("MADV_KEEPONFORK", 2),
        ("MADV_NORMAL", 1), ("MADV_RANDOM", 1), ("MADV_SEQUENTIAL", 1), ("MADV_HUGEPAGE", 1), ("MADV_NOHUGEPAGE", 1),
        ("MADV_DONTDUMP", 1), ("MADV_DODUMP", 1), ("MADV_WILLNEED", 1), ("99", 1),
        ("MADV_DONTNEED_LOCKED", 2), ("MADV_REMOVE", 2), ("MADV_POPULATE_READ", 2), ("MADV_POPULATE_WRITE", 2),
        ("MADV_GUARD_INSTALL", 2), ("MADV_GUARD_REMOVE", 2), ("MADV_MERGEABLE", 1), ("MADV_UNMERGEABLE", 1),
        ("MADV_COLLAPSE", 1), ("MADV_HWPOISON", 1), ("MADV_FREE", 3), ("MADV_COLD", 2), ("MADV_PAGEOUT", 4),
    ];

    private static readonly (string, int)[] s_msyncFlags =
    [
        ("MS_ASYNC", 4), ("MS_SYNC", 4), ("MS_INVALIDATE", 2), ("MS_ASYNC|MS_INVALIDATE", 2), ("MS_SYNC|MS_INVALIDATE", 2),
        ("0", 1), ("MS_ASYNC|MS_SYNC", 1),
    ];

    // Only lowering: raising a hard limit is EPERM for an unprivileged process, whatever the host's limits are.
    // RLIMIT_MEMLOCK keeps an 8M hard limit, the model's and this machine's default; AS and DATA stay well above
    // what the host runner itself maps.
    private static readonly string[] s_rlimits =
    [
        "setrlimit(RLIMIT_MEMLOCK, {rlim_cur=0, rlim_max=8M})",
        "setrlimit(RLIMIT_MEMLOCK, {rlim_cur=64K, rlim_max=8M})",
        "setrlimit(RLIMIT_MEMLOCK, {rlim_cur=128K, rlim_max=8M})",
        "setrlimit(RLIMIT_MEMLOCK, {rlim_cur=8M, rlim_max=8M})",
        "setrlimit(RLIMIT_AS, {rlim_cur=4G, rlim_max=RLIM_INFINITY})",
        "setrlimit(RLIMIT_AS, {rlim_cur=RLIM_INFINITY, rlim_max=RLIM_INFINITY})",
        "setrlimit(RLIMIT_DATA, {rlim_cur=1G, rlim_max=RLIM_INFINITY})",
        "setrlimit(RLIMIT_DATA, {rlim_cur=RLIM_INFINITY, rlim_max=RLIM_INFINITY})",
    ];

    private readonly FuzzOptions _options = options;
    private readonly List<FuzzProcess> _live = [new(ScenarioRunner.MainVariable, new bool[options.ArenaPages], [])];
    private int _nextFd;
    private int _nextChild;

    public FuzzRandom Random { get; } = new(unchecked((ulong)options.Seed));

    private int Pages => _options.ArenaPages;

    // ---- mappings ----

    public string MmapAnonymous()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: false);
        // MAP_FIXED over a registered VMA would be an UNMAP event: only in an event episode.
        var fixedReplace = Random.Chance(50) && !MayBlock(p, page, pages);
        var flags = new List<string> { Random.Weighted(s_anonTypes), "MAP_ANONYMOUS", fixedReplace ? "MAP_FIXED" : "MAP_FIXED_NOREPLACE" };
        AddExtraFlags(flags, anonymous: true);
        if (flags.Contains("MAP_GROWSDOWN"))
            p.GrowsDown = true;
        MarkMapped(p, page, pages, fixedReplace);
        return $"{p.Prefix}mmap({Addr(page)}, {Len(pages)}, {Random.Weighted(s_prots)}, {string.Join('|', flags)}, -1, 0)";
    }

    public string? MmapMemfd()
    {
        var p = PickProcess();
        if (p.Fds.Count == 0)
            return null;
        var (page, pages) = PickRange(p, preferMapped: false);
        var fixedReplace = Random.Chance(50) && !MayBlock(p, page, pages);
        var flags = new List<string> { Random.Weighted(s_fileTypes), fixedReplace ? "MAP_FIXED" : "MAP_FIXED_NOREPLACE" };
        AddExtraFlags(flags, anonymous: false);
        MarkMapped(p, page, pages, fixedReplace);
        var offset = Random.Below(9);
        return $"{p.Prefix}mmap({Addr(page)}, {Len(pages)}, {Random.Weighted(s_prots)}, {string.Join('|', flags)}, ${Random.Pick(p.Fds)}, {Offset(offset)})";
    }

    /// <summary>do_mmap()'s argument checks: each variant fails before anything is unmapped.</summary>
    public string MmapInvalid()
    {
        var p = PickProcess();
        var page = Random.Below(Pages);
        const string Rw = "PROT_READ|PROT_WRITE";
        return p.Prefix + Random.Below(6) switch
        {
            0 => $"mmap({Addr(page, Random.Between(1, PageSize - 1))}, 4K, {Rw}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
            1 => $"mmap({Addr(page)}, 0, {Rw}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
            2 => $"mmap({Addr(page)}, 4K, {Rw}, MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0)",
            // No process opens this many files, and it stays below RLIMIT_NOFILE: EBADF.
            3 => $"mmap({Addr(page)}, 4K, {Rw}, MAP_SHARED|MAP_FIXED_NOREPLACE, 999, 0)",
            4 => $"mmap({Addr(page)}, 4K, {Rw}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0x100)",
            _ => $"mmap({Addr(page)}, -4K, {Rw}, MAP_PRIVATE|MAP_ANONYMOUS|{(Random.Chance(50) ? "MAP_FIXED" : "MAP_FIXED_NOREPLACE")}, -1, 0)",
        };
    }

    public string? Munmap()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        var r = Random.Below(100);
        if (r < 4)
            return $"{p.Prefix}munmap({Addr(page, Random.Between(1, PageSize - 1))}, {Len(pages)})";
        if (r < 7)
            return $"{p.Prefix}munmap({Addr(page)}, 0)";
        if (MayBlock(p, page, pages))
            return null;
        Array.Fill(p.Mapped, false, page, pages);
        MarkSafe(p, page, pages);
        return $"{p.Prefix}munmap({Addr(page)}, {Len(pages)})";
    }

    /// <summary>
    /// mremap within the arena: every move is MREMAP_FIXED (a free choice of address would leave the arena), growth
    /// without MREMAP_MAYMOVE happens in place or fails.
    /// </summary>
    public string? Mremap()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        // A shrink or a move of a registered VMA, or a move over one, would be an event: only in an event episode.
        if (MayBlock(p, page, pages))
            return null;
        var r = Random.Below(100);
        string call;
        if (r < 20)
        {
            var newPages = Random.Between(1, pages);
            Array.Fill(p.Mapped, false, page + newPages, pages - newPages);
            call = $"mremap({Addr(page)}, {Len(pages)}, {Len(newPages)}, 0, 0)";
        }
        else if (r < 35)
        {
            var room = Pages - page - pages;
            if (room == 0)
                return null;
            var newPages = pages + Random.Between(1, Math.Min(8, room));
            // Growth in place extends the VMA with its flags: a registration covers the new pages too.
            foreach (var map in (ReadOnlySpan<bool[]>)[p.Unsafe, p.Registered])
            {
                if (Array.IndexOf(map, true, page, pages) >= 0)
                    Array.Fill(map, true, page + pages, newPages - pages);
            }
            call = $"mremap({Addr(page)}, {Len(pages)}, {Len(newPages)}, 0, 0)";
        }
        else if (r < 90)
        {
            var dontUnmap = Random.Chance(25);
            var newPages = dontUnmap || Random.Chance(60) ? pages : Random.Between(1, Math.Min(16, Pages));
            var target = Random.Below(Pages - newPages + 1);
            if (MayBlock(p, target, newPages))
                return null;
            var oldLen = r < 36 ? 0 : pages;
            if (!dontUnmap)
                Array.Fill(p.Mapped, false, page, pages);
            Array.Fill(p.Mapped, true, target, newPages);
            var flags = dontUnmap ? "MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP" : "MREMAP_MAYMOVE|MREMAP_FIXED";
            call = $"mremap({Addr(page)}, {Len(oldLen)}, {Len(newPages)}, {flags}, {Addr(target)})";
        }
        else
        {
            var target = Addr(Random.Below(Pages));
            call = Random.Below(4) switch
            {
                0 => $"mremap({Addr(page, Random.Between(1, PageSize - 1))}, {Len(pages)}, {Len(pages)}, MREMAP_MAYMOVE|MREMAP_FIXED, {target})",
                1 => $"mremap({Addr(page)}, {Len(pages)}, {Len(pages)}, 8, {target})",
                2 => $"mremap({Addr(page)}, {Len(pages)}, {Len(pages)}, MREMAP_FIXED, {target})",
                _ => $"mremap({Addr(page)}, {Len(pages)}, {Len(pages + 1)}, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, {target})",
            };
        }
        return p.Prefix + call;
    }

    /// <summary>swapinfo(): the swap the scenario turned on, in use and cached.</summary>
    public string SwapInfo() => $"{PickProcess().Prefix}swapinfo()";

    public string Mprotect()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        var r = Random.Below(100);
        var prot = r switch
        {
            < 3 => "0x10",                      // no such bit: arch_validate_prot() says EINVAL
            < 6 => "PROT_READ|PROT_GROWSDOWN",  // EINVAL unless the VMA grows down
            _ => Random.Weighted(s_prots),
        };
        var start = r is >= 6 and < 9 ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        return $"{p.Prefix}mprotect({start}, {Len(pages)}, {prot})";
    }

    public string Madvise()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        var r = Random.Below(100);
        var start = r < 3 ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        var length = r is >= 3 and < 5 ? "0" : Len(pages);
        var advice = Random.Weighted(s_advice);
        // MADV_DONTNEED (and DONTNEED_LOCKED, REMOVE) of a registered VMA would be a REMOVE event: only in an event
        // episode.
        if (advice is "MADV_DONTNEED" or "MADV_DONTNEED_LOCKED" or "MADV_REMOVE" or "MADV_FREE" && MayBlock(p, page, pages))
            advice = "MADV_NORMAL";
        // MADV_GUARD_INSTALL over a uffd-wp marker of a registered shmem VMA restarts forever on 6.18.
        if (advice == "MADV_GUARD_INSTALL" && Array.IndexOf(p.EverRegistered, true, page, pages) >= 0)
            advice = "MADV_NORMAL";
        // A page MADV_FREE queued becomes lazyfree when the CPU's batch drains, and on a real machine any process on that
        // CPU may drain it: MADV_COLD of the same range, which drains first, makes the outcome deterministic.
        if (advice == "MADV_FREE")
            return $"{p.Prefix}madvise({start}, {length}, {advice})\n{p.Prefix}madvise({start}, {length}, MADV_COLD)";
        return $"{p.Prefix}madvise({start}, {length}, {advice})";
    }

    /// <summary>
    /// pidfd_open() of the caller or of another live process, the first time; then process_madvise() through that
    /// pidfd over one to four arena ranges (now and then unaligned, empty or past the arena), with any advice, now and
    /// then a bad flag. The pidfd stays open: once its process is gone it gives ESRCH. On the caller's own ranges the
    /// advices that would raise a REMOVE event keep off registered pages, as madvise() does.
    /// </summary>
    public string ProcessMadvise()
    {
        var p = PickProcess();
        var target = Random.Chance(70) ? p : PickProcess();
        if (!p.Pidfds.TryGetValue(target.Variable, out var pidfd))
        {
            pidfd = $"pf{_nextFd++}";
            p.Pidfds[target.Variable] = pidfd;
            return $"{p.Prefix}pidfd_open(${target.Variable}, 0) = ${pidfd}";
        }
        // Now and then the advices process_madvise allows on another process.
        var advice = target != p && Random.Chance(50)
            ? Random.Weighted<string>([("MADV_COLD", 2), ("MADV_PAGEOUT", 2), ("MADV_WILLNEED", 2), ("MADV_COLLAPSE", 1)])
            : Random.Weighted(s_advice);
        var ranges = new List<string>();
        var count = Random.Between(1, 4);
        bool mayBlock = false, registered = false;
        for (var i = 0; i < count; i++)
        {
            var (page, pages) = PickRange(target, preferMapped: true);
            var r = Random.Below(100);
            var start = r < 4 ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
            var length = r is >= 4 and < 8 ? "0" : r is >= 8 and < 11 ? $"{Random.Between(1, PageSize - 1)}" : Len(pages);
            ranges.Add($"{{iov_base={start}, iov_len={length}}}");
            mayBlock |= MayBlock(target, page, pages);
            registered |= Array.IndexOf(target.EverRegistered, true, page, pages) >= 0;
        }
        if (advice is "MADV_DONTNEED" or "MADV_DONTNEED_LOCKED" or "MADV_REMOVE" or "MADV_FREE" && mayBlock
            || advice == "MADV_GUARD_INSTALL" && registered)
            advice = "MADV_NORMAL";
        // MADV_FREE's outcome waits on the CPU's batch (see Madvise()); through a vector it stays out.
        if (advice == "MADV_FREE")
            advice = "MADV_COLD";
        var flags = Random.Chance(3) ? "1" : "0";
        return $"{p.Prefix}process_madvise(${pidfd}, [{string.Join(", ", ranges)}], {ranges.Count}, {advice}, {flags})";
    }

    /// <summary>
    /// mlock, mlock2 (MLOCK_ONFAULT, none, or an invalid flag) and munlock over arena ranges: the whole arena is
    /// far below the 8 MiB RLIMIT_MEMLOCK, so only a lowered limit makes them fail for want of room.
    /// </summary>
    public string Mlock()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        var r = Random.Below(100);
        var start = r < 5 ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        var length = r is >= 5 and < 8 ? "0" : Len(pages);
        var call = Random.Below(100) switch
        {
            < 35 => $"mlock({start}, {length})",
            < 60 => $"mlock2({start}, {length}, MLOCK_ONFAULT)",
            < 63 => $"mlock2({start}, {length}, 0)",
            < 65 => $"mlock2({start}, {length}, 2)",
            _ => $"munlock({start}, {length})",
        };
        return p.Prefix + call;
    }

    /// <summary>
    /// mlockall with MCL_FUTURE or MCL_FUTURE|MCL_ONFAULT (def_flags: later mmap and brk are locked, and so is the
    /// growth of a MAP_GROWSDOWN mapping made then; all must fit RLIMIT_MEMLOCK), with flags mlockall() refuses
    /// (0, MCL_ONFAULT alone, an unknown bit: EINVAL), and munlockall.
    /// <para>
    /// Never MCL_CURRENT, not even in a mix that fails: on the kernel it would lock, count and populate the host
    /// runner's own mappings (libc, ld.so, its stack), which the model does not have. MCL_FUTURE alone is safe:
    /// the runner maps nothing of its own while it runs statements, and a fork child inherits neither def_flags
    /// (mm_init() keeps only VM_INIT_DEF_MASK) nor VM_LOCKED (dup_mmap()), as in the model.
    /// </para>
    /// <para>
    /// No munlockall in a process whose heap brk() may have grown under MCL_FUTURE. On the kernel the runner's
    /// bss, an anonymous rw-p VMA with the heap's flags, ends exactly at the first break; brk() never merges with
    /// it (it looks for a VMA to expand only above mm->start_brk), but munlockall()'s mlock_fixup() clears
    /// VM_LOCKED through vma_modify_flags(), which merges the heap into any compatible neighbour, the bss
    /// included. The model has no ELF image, so its heap stays alone: a difference of layout, not of mm.
    /// </para>
    /// </summary>
    public string Mlockall()
    {
        var p = PickProcess();
        var r = Random.Below(100);
        if (r >= 70 && p.HeapMaybeLocked)
            r = Random.Below(70);
        string call;
        switch (r)
        {
            case < 35:
                call = "mlockall(MCL_FUTURE)";
                p.FutureLocked = true;
                break;
            case < 60:
                call = "mlockall(MCL_FUTURE|MCL_ONFAULT)";
                p.FutureLocked = true;
                break;
            case < 64:
                call = "mlockall(MCL_ONFAULT)";
                break;
            case < 67:
                call = "mlockall(0)";
                break;
            case < 70:
                call = "mlockall(MCL_FUTURE|8)";
                break;
            default:
                call = "munlockall()";
                p.FutureLocked = false;
                break;
        }
        return p.Prefix + call;
    }

    /// <summary>
    /// capset() of CAP_IPC_LOCK into or out of the effective set, keeping the permitted set the process starts
    /// with (dropping from it would be for good); CAP_SYS_ADMIN, which is not permitted, is EPERM. Or capget(),
    /// whose sets diff compares.
    /// </summary>
    public string Capset()
    {
        var p = PickProcess();
        // Credentials are per thread: now and then the process's episode thread's.
        var prefix = p.Faulter is { } t && Random.Chance(30) ? $"[pid ${t}] " : p.Prefix;
        const string Header = "{version=_LINUX_CAPABILITY_VERSION_3, pid=0}";
        if (Random.Chance(20))
            return $"{prefix}capget({Header}, {{effective=0, permitted=0, inheritable=0}})";
        var effective = Random.Weighted<string>([("1<<CAP_IPC_LOCK", 6), ("0", 5), ("1<<CAP_SYS_ADMIN", 1)]);
        return $"{prefix}capset({Header}, {{effective={effective}, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}})";
    }

    public string Msync()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        var start = Random.Chance(4) ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        return $"{p.Prefix}msync({start}, {Len(pages)}, {Random.Weighted(s_msyncFlags)})";
    }

    /// <summary>The vector (one byte a page) lies inside the arena, so what it overwrites is the scenario's own.</summary>
    public string Mincore()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        var r = Random.Below(100);
        var start = r < 3 ? Addr(page, Random.Between(1, PageSize - 1)) : Addr(page);
        // A length that is not a page multiple is rounded up: still `pages` bytes of vector.
        var length = r is >= 3 and < 10 ? Num(((long)pages * PageSize) - Random.Between(1, PageSize - 1)) : Len(pages);
        var vecOffset = Random.Below((Pages * PageSize) - pages + 1);
        var vecPage = vecOffset / PageSize;
        return $"{p.Prefix}mincore({start}, {length}, {Addr(vecPage, vecOffset % PageSize)})";
    }

    public string Brk()
    {
        var p = PickProcess();
        var r = Random.Below(100);
        var arg = r switch
        {
            < 70 => BrkAddr(Random.Between(0, BrkPages), 0),
            < 82 => BrkAddr(Random.Between(0, BrkPages), Random.Between(1, PageSize - 1)),
            < 90 => "$brk0-4K",
            _ => "0",
        };
        // Growth now is locked if an mlockall(MCL_FUTURE) took effect: see Mlockall() for why that rules out munlockall.
        if (p.FutureLocked)
            p.HeapMaybeLocked = true;
        return $"{p.Prefix}brk({arg})";
    }

    // ---- files ----

    public string? MemfdCreate()
    {
        var p = PickProcess();
        if (p.Fds.Count >= MaxFdsPerProcess)
            return null;
        var n = _nextFd++;
        p.Fds.Add($"fd{n}");
        var flags = Random.Weighted<string>([("0", 6), ("MFD_CLOEXEC", 3), ("MFD_ALLOW_SEALING", 1)]);
        return $"{p.Prefix}memfd_create(\"fuzz{n}\", {flags}) = $fd{n}";
    }

    public string? Ftruncate()
    {
        var p = PickProcess();
        if (p.Fds.Count == 0)
            return null;
        var r = Random.Below(100);
        var length = r switch
        {
            < 85 => Len(Random.Between(0, 16)),
            < 95 => Num(((long)Random.Between(0, 15) * PageSize) + Random.Between(1, PageSize - 1)),
            _ => "-1",
        };
        return $"{p.Prefix}ftruncate(${Random.Pick(p.Fds)}, {length})";
    }

    public string Close()
    {
        var p = PickProcess();
        if (p.Fds.Count == 0 || Random.Chance(5))
            return $"{p.Prefix}close(999)";
        var fd = Random.Pick(p.Fds);
        p.Fds.Remove(fd);
        return $"{p.Prefix}close(${fd})";
    }

    public string? Dup()
    {
        var p = PickProcess();
        if (p.Fds.Count is 0 or >= MaxFdsPerProcess)
            return null;
        var fd = Random.Pick(p.Fds);
        var n = _nextFd++;
        p.Fds.Add($"fd{n}");
        return $"{p.Prefix}dup(${fd}) = $fd{n}";
    }

    // ---- processes ----

    public string? Fork()
    {
        if (_live.Count >= _options.Procs)
            return null;
        var parent = PickProcess();
        // A fork episode maps its page first, which an mlockall(MCL_FUTURE) past RLIMIT_MEMLOCK would refuse.
        if (ForkMayBlock(parent))
            return parent.FutureLocked ? null : ForkEventEpisode(parent);
        return ForkOf(parent);
    }

    /// <summary>
    /// fork() in <paramref name="parent"/>: the child starts with its parent's mappings and fds (its userfaultfds
    /// included, still acting on the parent's memory), no registration of its own (dup_mmap() drops them) and
    /// no threads.
    /// </summary>
    private string ForkOf(FuzzProcess parent) => $"{parent.Prefix}fork() = ${NewChild(parent).Variable}";

    private FuzzProcess NewChild(FuzzProcess parent)
    {
        var child = new FuzzProcess($"c{_nextChild++}", (bool[])parent.Mapped.Clone(), [.. parent.Fds])
        {
            Uffds = [.. parent.Uffds],
            GrowsDown = parent.GrowsDown,
        };
        _live.Add(child);
        return child;
    }

    public string? ExitGroup()
    {
        if (_live.Count == 1)
            return null;
        var child = _live[Random.Between(1, _live.Count - 1)];
        _live.Remove(child);
        return $"{child.Prefix}exit_group({Random.Below(4)})";
    }

    public string? Kill()
    {
        if (_live.Count == 1)
            return null;
        var child = _live[Random.Between(1, _live.Count - 1)];
        _live.Remove(child);
        return $"kill(${child.Variable}, SIGKILL)";
    }

    public string Setrlimit() => PickProcess().Prefix + Random.Pick(s_rlimits);

    // ---- accesses and observation ----

    public string Store()
    {
        var p = PickProcess();
        if (Random.Chance(50))
        {
            var bytes = new StringBuilder();
            var (addr, max) = AccessAddress(p, 12);
            var n = Random.Between(1, max);
            for (var i = 0; i < n; i++)
                bytes.Append((char)('a' + Random.Below(26)));
            return $"{p.Prefix}store({addr}, \"{bytes}\")";
        }
        var (at, room) = AccessAddress(p, 3 * PageSize);
        var length = Random.Below(4) switch
        {
            0 => Math.Min(room, PageSize),
            1 => Math.Min(room, 2 * PageSize),
            _ => Random.Between(1, Math.Min(room, 64)),
        };
        return $"{p.Prefix}store({at}, {Num(length)}, 0x{Random.Below(256):x2})";
    }

    public string Load()
    {
        var p = PickProcess();
        var (addr, max) = AccessAddress(p, PageSize + 16);
        var length = Random.Chance(85) ? Random.Between(1, Math.Min(max, 16)) : Random.Between(1, max);
        return $"{p.Prefix}load({addr}, {Num(length)}){(Random.Chance(50) ? " = ?" : "")}";
    }

    public string? Touch()
    {
        var p = PickProcess();
        var (page, pages) = PickRange(p, preferMapped: true);
        pages = SafeRun(p, page, pages);
        if (pages == 0)
            return null;
        return $"{p.Prefix}touch({Addr(page)}, {Len(pages)}, {(Random.Chance(50) ? "READ" : "WRITE")})";
    }

    public string Smaps()
    {
        var p = PickProcess();
        var addr = Random.Chance(10) ? "$brk0" : Addr(PickPage(p, preferMapped: true), Random.Chance(20) ? Random.Below(PageSize) : 0);
        return $"{p.Prefix}smaps({addr})";
    }

    public string VmaCount()
    {
        var p = PickProcess();
        if (Random.Chance(30))
            return $"{p.Prefix}vma_count({Addr(0)}, {Addr(Pages)})";
        var (page, pages) = PickRange(p, preferMapped: false);
        return $"{p.Prefix}vma_count({Addr(page)}, {Addr(page + pages)})";
    }

    // ---- choices ----

    /// <summary>$main half the time, otherwise a live child.</summary>
    private FuzzProcess PickProcess() =>
        _live.Count == 1 || Random.Chance(50) ? _live[0] : _live[Random.Between(1, _live.Count - 1)];

    /// <summary>A page; when <paramref name="preferMapped"/>, three times in four one the process probably has mapped.</summary>
    private int PickPage(FuzzProcess p, bool preferMapped)
    {
        var page = Random.Below(Pages);
        if (!preferMapped || !Random.Chance(75))
            return page;
        for (var i = 0; i < Pages; i++)
        {
            var candidate = (page + i) % Pages;
            if (p.Mapped[candidate])
                return candidate;
        }
        return page;
    }

    /// <summary>A range of whole pages inside the arena, mostly short: [page, page + pages).</summary>
    private (int Page, int Pages) PickRange(FuzzProcess p, bool preferMapped)
    {
        var page = PickPage(p, preferMapped);
        var room = Pages - page;
        var r = Random.Below(100);
        var pages = r switch
        {
            < 55 => Random.Between(1, Math.Min(4, room)),
            < 90 => Random.Between(1, Math.Min(16, room)),
            _ => Random.Between(1, room),
        };
        return (page, pages);
    }

    /// <summary>
    /// Where an access starts, and how many bytes (at most <paramref name="maxLength"/>) fit before the end of
    /// the arena: mostly an arena page's start, sometimes inside it, and now and then near the break.
    /// </summary>
    private (string Addr, int Room) AccessAddress(FuzzProcess p, int maxLength)
    {
        if (Random.Chance(8))
            return (BrkAddr(Random.Between(0, 8), Random.Chance(50) ? 0 : Random.Below(PageSize)), maxLength);
        var page = PickPage(p, preferMapped: true);
        // Not where a userfaultfd may make the access block: only a thread in a fault episode goes there.
        if (p.Unsafe[page])
        {
            var safe = Array.IndexOf(p.Unsafe, false);
            if (safe < 0)
                return (BrkAddr(Random.Between(0, 8), Random.Chance(50) ? 0 : Random.Below(PageSize)), maxLength);
            page = safe;
        }
        var offset = Random.Chance(70) ? 0 : Random.Below(PageSize);
        var room = (int)Math.Min(maxLength, ((long)SafeRun(p, page, Pages - page) * PageSize) - offset);
        return (Addr(page, offset), room);
    }

    private void AddExtraFlags(List<string> flags, bool anonymous)
    {
        if (Random.Chance(10))
            flags.Add("MAP_POPULATE");
        if (Random.Chance(8))
            flags.Add("MAP_NORESERVE");
        if (Random.Chance(5))
            flags.Add("MAP_LOCKED");
        if (anonymous && Random.Chance(5))
            flags.Add("MAP_STACK");
        if (anonymous && Random.Chance(4))
            flags.Add("MAP_GROWSDOWN");
    }

    /// <summary>The guess at the process's arena after an mmap: MAP_FIXED_NOREPLACE maps only over free pages.</summary>
    private static void MarkMapped(FuzzProcess p, int page, int pages, bool fixedReplace)
    {
        if (fixedReplace || Array.IndexOf(p.Mapped, true, page, pages) < 0)
            Array.Fill(p.Mapped, true, page, pages);
    }

    // ---- spelling ----

    private string Addr(int page, int offset = 0) =>
        $"0x{_options.ArenaBase + ((ulong)page * PageSize) + (ulong)offset:x}";

    private static string BrkAddr(int page, int offset) => (page, offset) switch
    {
        (0, 0) => "$brk0",
        (0, _) => $"$brk0+{offset}",
        (_, 0) => $"$brk0+{page * 4}K",
        _ => $"$brk0+{page * 4}K+{offset}",
    };

    private static string Len(int pages) => pages == 0 ? "0" : $"{pages * 4}K";

    private static string Offset(int pages) => pages == 0 ? "0" : $"0x{pages * PageSize:x}";

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A live process: its pid variable, its fd variables and the guess at its mapped arena pages.</summary>
    private sealed class FuzzProcess(string variable, bool[] mapped, List<string> fds)
    {
        /// <summary>
        /// Arena pages a userfaultfd that blocks (no UFFD_FEATURE_SIGBUS) may have registered in this process's
        /// mm: exact enough to be safe, never too small. Only a fault episode's thread accesses them.
        /// </summary>
        public bool[] Unsafe { get; } = new bool[mapped.Length];

        /// <summary>Arena pages any context may have registered in this mm, SIGBUS ones included: where events may come from.</summary>
        public bool[] Registered { get; } = new bool[mapped.Length];

        /// <summary>
        /// Arena pages ever registered here: a uffd-wp marker may be left there, which outlives the registration in a
        /// shmem VMA and makes MADV_GUARD_INSTALL restart forever.
        /// </summary>
        public bool[] EverRegistered { get; } = new bool[mapped.Length];

        /// <summary>The userfaultfds open in this process's fd table, its own or inherited.</summary>
        public List<UffdHandle> Uffds { get; init; } = [];

        /// <summary>The userfaultfd this process created, while it may be open anywhere: one at a time, so one context serves its mm.</summary>
        public UffdHandle? OwnUffd { get; set; }

        /// <summary>
        /// A MAP_GROWSDOWN mapping may exist: an access to a free page below one expands it, with its registration,
        /// so a registration makes every page below it unsafe too.
        /// </summary>
        public bool GrowsDown { get; set; }

        /// <summary>The pidfds this process opened, by the variable of the process each names.</summary>
        public Dictionary<string, string> Pidfds { get; } = new(StringComparer.Ordinal);

        /// <summary>The thread that takes faults in episodes, once created.</summary>
        public string? Faulter { get; set; }

        public string Variable { get; } = variable;

        public bool[] Mapped { get; } = mapped;

        /// <summary>The fd variables open in this process's fd table (a fork child starts with a copy).</summary>
        public List<string> Fds { get; } = fds;

        /// <summary>An mlockall(MCL_FUTURE) may be in effect (it fails with a zero RLIMIT_MEMLOCK). A fork child starts without.</summary>
        public bool FutureLocked { get; set; }

        /// <summary>brk() was called while <see cref="FutureLocked"/>: the heap may be VM_LOCKED (a fork child's never is).</summary>
        public bool HeapMaybeLocked { get; set; }

        public string Prefix => Variable == ScenarioRunner.MainVariable ? "" : $"[pid ${Variable}] ";
    }
}

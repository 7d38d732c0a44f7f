using MmSim.Abi;

namespace MmSim.Mm;

/// <summary>The lock an advice takes (get_lock_mode() in mm/madvise.c).</summary>
internal enum MadviseLock
{
    /// <summary>MADV_HWPOISON and MADV_SOFT_OFFLINE, which go to the physical pages directly.</summary>
    None,
    /// <summary>mmap_read_lock(): the advice walks VMAs and pages without changing VMAs.</summary>
    MmapRead,
    /// <summary>mmap_write_lock(): the advice changes VMA flags, splitting and merging.</summary>
    MmapWrite,
    /// <summary>A per-VMA read lock when the range lies in one VMA, else the mmap read lock.</summary>
    VmaRead,
}

/// <summary>What the model does with an advice.</summary>
internal enum MadviseAction
{
    /// <summary>Not an advice this kernel accepts: EINVAL before anything else.</summary>
    Invalid,
    /// <summary>Changes VMA flags (madvise_update_vma()): may split and merge.</summary>
    Flags,
    /// <summary>MADV_DONTNEED, MADV_DONTNEED_LOCKED: zap the range.</summary>
    DontNeed,
    /// <summary>MADV_REMOVE: punch a hole in the shared file behind the range.</summary>
    Remove,
    /// <summary>MADV_POPULATE_READ, MADV_POPULATE_WRITE: fault the range in, stopping at the first failure.</summary>
    Populate,
    /// <summary>MADV_GUARD_INSTALL: guard markers in the page tables.</summary>
    GuardInstall,
    /// <summary>MADV_GUARD_REMOVE: guard markers cleared.</summary>
    GuardRemove,
    /// <summary>MADV_COLLAPSE: no huge page can be made here, EINVAL on every VMA.</summary>
    Collapse,
    /// <summary>MADV_WILLNEED: reads ahead; with nothing swapped out or on disk, nothing to do.</summary>
    WillNeed,
    /// <summary>MADV_COLD: deactivate the pages mapped only here.</summary>
    Cold,
    /// <summary>MADV_PAGEOUT: reclaim the pages mapped only here now.</summary>
    PageOut,
    /// <summary>MADV_FREE: anonymous pages become lazyfree.</summary>
    Free,
}

/// <summary>
/// One advice's facts, after mm/madvise.c of Linux 6.18: whether it is valid on this kernel's configuration, the
/// lock it takes, whether it walks the page tables, whether it batches TLB flushes in one mmu_gather across VMAs
/// (madvise_batch_tlb_flush()), whether it may split VMAs, whether process_madvise() may apply it to another
/// process (process_madvise_remote_valid()), and whether it discards data (is_discard(), for sealed VMAs).
/// </summary>
internal readonly record struct MadviseInfo(
    int Advice, string Name, MadviseAction Action, MadviseLock Lock, bool WalksPages, bool BatchesTlb,
    bool SplitsVmas, bool Remote, bool Discards)
{
    public bool Valid => Action != MadviseAction.Invalid;
}

/// <summary>
/// The behaviour table the madvise dispatch reads (docs/DESIGN.md shows it). This machine's kernel has KSM and THP
/// but not CONFIG_MEMORY_FAILURE, so MADV_HWPOISON and MADV_SOFT_OFFLINE are invalid advice.
/// </summary>
internal static class MadviseTable
{
    private const MadviseLock R = MadviseLock.MmapRead, W = MadviseLock.MmapWrite, V = MadviseLock.VmaRead;

    private static readonly MadviseInfo[] s_known =
    [
        //                                                  action                       lock  pages  tlb    split  remote discard
        new(Madv.MADV_NORMAL, "MADV_NORMAL", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_RANDOM, "MADV_RANDOM", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_SEQUENTIAL, "MADV_SEQUENTIAL", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_WILLNEED, "MADV_WILLNEED", MadviseAction.WillNeed, R, true, false, false, true, false),
        new(Madv.MADV_DONTNEED, "MADV_DONTNEED", MadviseAction.DontNeed, V, true, true, false, false, true),
        new(Madv.MADV_FREE, "MADV_FREE", MadviseAction.Free, V, true, true, false, false, true),
        new(Madv.MADV_REMOVE, "MADV_REMOVE", MadviseAction.Remove, R, true, false, false, false, true),
        new(Madv.MADV_DONTFORK, "MADV_DONTFORK", MadviseAction.Flags, W, false, false, true, false, true),
        new(Madv.MADV_DOFORK, "MADV_DOFORK", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_MERGEABLE, "MADV_MERGEABLE", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_UNMERGEABLE, "MADV_UNMERGEABLE", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_HUGEPAGE, "MADV_HUGEPAGE", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_DONTDUMP, "MADV_DONTDUMP", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_DODUMP, "MADV_DODUMP", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_WIPEONFORK, "MADV_WIPEONFORK", MadviseAction.Flags, W, false, false, true, false, true),
        new(Madv.MADV_KEEPONFORK, "MADV_KEEPONFORK", MadviseAction.Flags, W, false, false, true, false, false),
        new(Madv.MADV_COLD, "MADV_COLD", MadviseAction.Cold, R, true, false, false, true, false),
        new(Madv.MADV_PAGEOUT, "MADV_PAGEOUT", MadviseAction.PageOut, R, true, false, false, true, false),
        new(Madv.MADV_POPULATE_READ, "MADV_POPULATE_READ", MadviseAction.Populate, R, true, false, false, false, false),
        new(Madv.MADV_POPULATE_WRITE, "MADV_POPULATE_WRITE", MadviseAction.Populate, R, true, false, false, false, false),
        new(Madv.MADV_DONTNEED_LOCKED, "MADV_DONTNEED_LOCKED", MadviseAction.DontNeed, V, true, true, false, false, true),
        new(Madv.MADV_COLLAPSE, "MADV_COLLAPSE", MadviseAction.Collapse, R, true, false, false, true, false),
        new(Madv.MADV_GUARD_INSTALL, "MADV_GUARD_INSTALL", MadviseAction.GuardInstall, V, true, false, false, false, true),
        new(Madv.MADV_GUARD_REMOVE, "MADV_GUARD_REMOVE", MadviseAction.GuardRemove, V, true, false, false, false, false),
        // CONFIG_MEMORY_FAILURE is off on this machine: not valid advice (EINVAL), so no lock, no walk.
        new(Madv.MADV_HWPOISON, "MADV_HWPOISON", MadviseAction.Invalid, MadviseLock.None, false, false, false, false, true),
        new(Madv.MADV_SOFT_OFFLINE, "MADV_SOFT_OFFLINE", MadviseAction.Invalid, MadviseLock.None, false, false, false, false, false),
    ];

    private static readonly Dictionary<int, MadviseInfo> s_byAdvice = s_known.ToDictionary(i => i.Advice);

    /// <summary>Every advice 6.18 defines, in the table's order.</summary>
    public static IReadOnlyList<MadviseInfo> All => s_known;

    /// <summary>The advice's facts; an unknown value is <see cref="MadviseAction.Invalid"/>.</summary>
    public static MadviseInfo Of(int advice) => s_byAdvice.TryGetValue(advice, out var info)
        ? info
        : new MadviseInfo(advice, $"{advice}", MadviseAction.Invalid, MadviseLock.None, false, false, false, false, false);
}

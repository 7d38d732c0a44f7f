using MmSim.Collections;

namespace MmSim.Mm;

/// <summary>
/// struct mm_struct: one address space. Holds the VMA tree, the page tables and the counters /proc reports.
/// Invariants (checked by Validate): VMAs are page-aligned, sorted and non-overlapping; MapCount equals the
/// number of VMAs; every counter equals its recomputation from VMAs and page tables.
/// </summary>
internal sealed partial class MmStruct
{
    /// <summary>TASK_SIZE_MAX for 4-level paging: (1 &lt;&lt; 47) - PAGE_SIZE.</summary>
    public const ulong TaskSize = (1UL << 47) - 4096;
    /// <summary>DEFAULT_MAP_WINDOW: equal to TASK_SIZE_MAX with 4-level paging.</summary>
    public const ulong DefaultMapWindow = TaskSize;
    /// <summary>
    /// CONFIG_LSM_MMAP_MIN_ADDR: with CONFIG_SECURITY, the kernel's mmap_min_addr is the larger of it and the
    /// vm.mmap_min_addr sysctl. Hints are rounded up to it, searches and stack growth stop at it.
    /// </summary>
    public const ulong LsmMmapMinAddr = 65536;

    /// <summary>mmap_min_addr: below it, no hint, search or stack growth goes.</summary>
    public ulong MmapMinAddr => Math.Max(Kernel.Config.MmapMinAddr, LsmMmapMinAddr);
    public const ulong PageSize = 4096;
    public const int PageShift = 12;

    public MmStruct(Kernel kernel, Process owner)
    {
        Kernel = kernel;
        Owner = owner;
        PageTables = new PageTables(kernel.Phys);
    }

    public Kernel Kernel { get; }
    /// <summary>The process whose limits and capabilities apply (mm->owner; "current" for syscalls).</summary>
    public Process Owner { get; set; }
    public RangeTree<Vma> Vmas { get; } = new();
    public PageTables PageTables { get; }

    /// <summary>mm->map_count.</summary>
    public int MapCount => Vmas.Count;

    public ulong MmapBase { get; set; }
    public ulong StartBrk { get; set; }
    public ulong Brk { get; set; }
    public ulong StartStack { get; set; }
    /// <summary>
    /// A failed call left a split behind (as Linux does), so two adjacent VMAs may be mergeable without having
    /// been merged. Validate() only checks "no mergeable neighbours" while this is false.
    /// </summary>
    public bool UnmergedNeighboursPossible { get; set; }

    /// <summary>mm->def_flags: VM_LOCKED/VM_LOCKONFAULT after mlockall(MCL_FUTURE).</summary>
    public VmFlags DefFlags { get; set; }

    // Counters, in pages, as mm_struct keeps them.
    public long TotalVm { get; set; }
    public long LockedVm { get; set; }
    /// <summary>
    /// Pages in locked_vm that no VM_LOCKED VMA backs. Linux 6.18's mremap(MREMAP_DONTUNMAP) of a locked mapping
    /// adds new_len to locked_vm and clears VM_LOCKED on the source without taking old_len off, so VmLck counts
    /// the range twice, and the excess outlives both mappings. Validate() adds it to its recomputation.
    /// </summary>
    public long LockedVmUnbacked { get; set; }
    public long PinnedVm { get; set; }
    public long DataVm { get; set; }
    public long ExecVm { get; set; }
    public long StackVm { get; set; }
    public long HiwaterVm { get; set; }
    public long HiwaterRss { get; set; }
    public long RssAnon { get; set; }
    public long RssFile { get; set; }
    public long RssShmem { get; set; }
    public long SwapEnts { get; set; }

    public long Rss => RssAnon + RssFile + RssShmem;

    public static ulong PageAlign(ulong x) => (x + PageSize - 1) & ~(PageSize - 1);

    public static bool IsExecMapping(VmFlags f) => (f & (VmFlags.Exec | VmFlags.Write | VmFlags.GrowsDown)) == VmFlags.Exec;
    public static bool IsStackMapping(VmFlags f) => (f & VmFlags.GrowsDown) == VmFlags.GrowsDown;
    public static bool IsDataMapping(VmFlags f) => (f & (VmFlags.Write | VmFlags.Shared | VmFlags.GrowsDown)) == VmFlags.Write;

    /// <summary>vm_stat_account().</summary>
    public void VmStatAccount(VmFlags flags, long npages)
    {
        TotalVm += npages;
        if (IsExecMapping(flags))
            ExecVm += npages;
        else if (IsStackMapping(flags))
            StackVm += npages;
        else if (IsDataMapping(flags))
            DataVm += npages;
    }

    public void UpdateHiwaterRss()
    {
        if (HiwaterRss < Rss)
            HiwaterRss = Rss;
    }

    public void UpdateHiwaterVm()
    {
        if (HiwaterVm < TotalVm)
            HiwaterVm = TotalVm;
    }

    /// <summary>find_vma(): the first VMA with End &gt; addr.</summary>
    public Vma? FindVma(ulong addr) => Vmas.FindFirstEndingAfter(addr);

    /// <summary>find_vma_intersection().</summary>
    public Vma? FindVmaIntersection(ulong start, ulong end)
    {
        var v = Vmas.FindFirstEndingAfter(start);
        return v is not null && v.Start < end ? v : null;
    }

    /// <summary>vm_start_gap(): a VM_GROWSDOWN VMA keeps stack_guard_gap free below it.</summary>
    public ulong VmStartGap(Vma vma)
    {
        ulong start = vma.Start;
        if ((vma.Flags & VmFlags.GrowsDown) != 0)
        {
            ulong gap = Kernel.Config.StackGuardGap;
            start = start > gap ? start - gap : 0;
        }
        return start;
    }

    /// <summary>vm_end_gap(): x86-64 has no VM_GROWSUP.</summary>
    public static ulong VmEndGap(Vma vma) => vma.End;

    public void Add(Vma vma) => Vmas.Insert(vma);

    public void Remove(Vma vma) => Vmas.Remove(vma);

    /// <summary>vma_set_range(): VMA bounds change only through here so the tree's gap data stays right.</summary>
    public void SetRange(Vma vma, ulong start, ulong end, ulong pgoff)
    {
        vma.Start = start;
        vma.End = end;
        vma.PgOff = pgoff;
        Vmas.Update(vma);
    }
}

using System.Globalization;
using System.Text;
using MmSim.Abi;
using MmSim.Mm;

namespace MmSim;

/// <summary>
/// The /proc renderers (fs/proc/task_mmu.c, fs/proc/array.c, fs/proc/meminfo.c): the same text as Linux 6.18
/// prints, so tools that parse the kernel's files parse these.
/// </summary>
internal static class ProcFs
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>mem_size_stats, accumulated by smaps_pte_range(). Pss values are in bytes &lt;&lt; PSS_SHIFT.</summary>
    private struct MemSizeStats
    {
        public const int PssShift = 12;
        public ulong Resident, Referenced, Anonymous, LazyFree, SharedClean, SharedDirty, PrivateClean, PrivateDirty;
        public ulong Swap, SwapPss;
        public ulong Pss, PssDirty, PssAnon, PssFile, PssShmem, PssLocked;
    }

    public static string Maps(MmStruct mm)
    {
        var sb = new StringBuilder();
        foreach (var vma in mm.Vmas)
            MapsLine(sb, mm, vma);
        return sb.ToString();
    }

    private static string? VmaName(MmStruct mm, Vma vma)
    {
        if (vma.File is not null)
            return vma.File.Name;
        if (vma.Start <= mm.Brk && vma.End >= mm.StartBrk)
            return "[heap]";
        if (vma.Start <= mm.StartStack && vma.End >= mm.StartStack)
            return "[stack]";
        return null;
    }

    /// <summary>show_map_vma(): the name starts at column 73 (seq_setwidth(25 + 6 * sizeof(void *) - 1) then a space).</summary>
    private static void MapsLine(StringBuilder sb, MmStruct mm, Vma vma)
    {
        int lineStart = sb.Length;
        var f = vma.Flags;
        ulong pgoff = vma.File is not null ? vma.PgOff << 12 : 0;
        string dev = vma.File is not null ? "00:01" : "00:00";
        ulong ino = vma.File?.Inode ?? 0;
        sb.Append(s_inv, $"{vma.Start:x8}-{vma.End:x8} ");
        sb.Append((f & VmFlags.Read) != 0 ? 'r' : '-');
        sb.Append((f & VmFlags.Write) != 0 ? 'w' : '-');
        sb.Append((f & VmFlags.Exec) != 0 ? 'x' : '-');
        sb.Append((f & VmFlags.MayShare) != 0 ? 's' : 'p');
        sb.Append(s_inv, $" {pgoff:x8} {dev} {ino} ");
        if (VmaName(mm, vma) is { } name)
        {
            int pad = 72 - (sb.Length - lineStart);
            if (pad > 0)
                sb.Append(' ', pad);
            sb.Append(' ').Append(name);
        }
        sb.Append('\n');
    }

    public static string Smaps(MmStruct mm)
    {
        var sb = new StringBuilder();
        foreach (var vma in mm.Vmas)
            SmapsEntry(sb, mm, vma);
        return sb.ToString();
    }

    public static string SmapsEntry(MmStruct mm, Vma vma)
    {
        var sb = new StringBuilder();
        SmapsEntry(sb, mm, vma);
        return sb.ToString();
    }

    private static void SmapsEntry(StringBuilder sb, MmStruct mm, Vma vma)
    {
        var mss = default(MemSizeStats);
        SmapGather(mm, vma, ref mss);
        MapsLine(sb, mm, vma);
        Kb(sb, "Size:           ", vma.End - vma.Start);
        Kb(sb, "KernelPageSize: ", 4096);
        Kb(sb, "MMUPageSize:    ", 4096);
        SmapsCommon(sb, ref mss, rollup: false);
        sb.Append(s_inv, $"THPeligible:    {(ThpEligible(mm, vma) ? 1 : 0),8}\n");
        sb.Append("VmFlags: ").Append(VmFlagsText.Mnemonics(vma.Flags)).Append('\n');
    }

    /// <summary>
    /// thp_vma_allowable_orders(TVA_SMAPS) for the PMD order, with shmem_enabled=never and only the PMD size
    /// of anonymous mTHP inheriting the global setting (the defaults): an anonymous VMA that the sysfs setting
    /// allows and that holds a PMD-aligned 2 MiB block ending at or below its end.
    /// </summary>
    private static bool ThpEligible(MmStruct mm, Vma vma)
    {
        string mode = mm.Kernel.Config.TransparentHugepage;
        if (!vma.IsAnonymous || (vma.Flags & (VmFlags.NoHugePage | VmFlags.Special)) != 0)
            return false;
        bool allowed = mode == "always" || (mode == "madvise" && (vma.Flags & VmFlags.HugePage) != 0);
        if (!allowed || vma.End < PageTables.PmdSize)
            return false;
        ulong haddr = (vma.End - PageTables.PmdSize) & PageTables.PmdMask;
        return haddr >= vma.Start;
    }

    /// <summary>__show_smap(): the fields shared by smaps and smaps_rollup.</summary>
    private static void SmapsCommon(StringBuilder sb, ref MemSizeStats mss, bool rollup)
    {
        Kb(sb, "Rss:            ", mss.Resident);
        Kb(sb, "Pss:            ", mss.Pss >> MemSizeStats.PssShift);
        Kb(sb, "Pss_Dirty:      ", mss.PssDirty >> MemSizeStats.PssShift);
        if (rollup)
        {
            Kb(sb, "Pss_Anon:       ", mss.PssAnon >> MemSizeStats.PssShift);
            Kb(sb, "Pss_File:       ", mss.PssFile >> MemSizeStats.PssShift);
            Kb(sb, "Pss_Shmem:      ", mss.PssShmem >> MemSizeStats.PssShift);
        }
        Kb(sb, "Shared_Clean:   ", mss.SharedClean);
        Kb(sb, "Shared_Dirty:   ", mss.SharedDirty);
        Kb(sb, "Private_Clean:  ", mss.PrivateClean);
        Kb(sb, "Private_Dirty:  ", mss.PrivateDirty);
        Kb(sb, "Referenced:     ", mss.Referenced);
        Kb(sb, "Anonymous:      ", mss.Anonymous);
        Kb(sb, "KSM:            ", 0);
        Kb(sb, "LazyFree:       ", mss.LazyFree);
        Kb(sb, "AnonHugePages:  ", 0);
        Kb(sb, "ShmemPmdMapped: ", 0);
        Kb(sb, "FilePmdMapped:  ", 0);
        Kb(sb, "Shared_Hugetlb: ", 0);
        Kb(sb, "Private_Hugetlb:", 0);
        Kb(sb, "Swap:           ", mss.Swap);
        Kb(sb, "SwapPss:        ", mss.SwapPss >> MemSizeStats.PssShift);
        Kb(sb, "Locked:         ", mss.PssLocked >> MemSizeStats.PssShift);
    }

    /// <summary>SEQ_PUT_DEC(): a 16-column label, the value in kB right-aligned in 8 columns, " kB".</summary>
    private static void Kb(StringBuilder sb, string label, ulong bytes) =>
        sb.Append(label).Append(s_inv, $"{bytes >> 10,8}").Append(" kB\n");

    /// <summary>smaps_pte_range() + smaps_account() for every page of the VMA.</summary>
    private static void SmapGather(MmStruct mm, Vma vma, ref MemSizeStats mss)
    {
        // smap_gather_stats(): a shmem VMA's swapped-out pages are the file's, counted at once when shared or read-only
        // (shmem_swap_usage(): the whole file's if the VMA maps it all from 0, else its range's); a private writable one
        // may have COW copies over them, so only pages with no PTE count (smaps_pte_hole()). SwapPss stays 0.
        if (vma.File is { Swapped: > 0 } file)
        {
            long usage = vma.PgOff == 0 && (long)(vma.End - vma.Start) >= file.Size
                ? file.Swapped
                : file.SwappedIn(vma.PgOff, vma.PgOff + vma.Pages);
            if (usage == 0 || vma.IsShared || (vma.Flags & VmFlags.Write) == 0)
            {
                mss.Swap += (ulong)usage << PhysicalMemory.PageShift;
            }
            else
            {
                for (ulong addr = vma.Start; addr < vma.End; addr += 4096)
                {
                    if (mm.PageTables.Lookup(addr).IsNone && file.TryGetSwap(vma.LinearPageIndex(addr), out _))
                        mss.Swap += 4096;
                }
            }
        }
        var phys = mm.Kernel.Phys;
        bool locked = (vma.Flags & VmFlags.Locked) != 0;
        foreach (var span in mm.PageTables.Walk(vma.Start, vma.End))
        {
            for (int i = span.From; i <= span.To; i++)
            {
                var pte = new Pte(span.Table.Entries[i]);
                const ulong size = 4096;
                if (pte.IsSwapEntry)
                {
                    // A swapped-out page: its share of the slot by the slot's references.
                    int refs = mm.Kernel.Swap.Count(Mm.Swap.SwapEntry.FromPte(pte));
                    mss.Swap += size;
                    mss.SwapPss += refs >= 2 ? (size << MemSizeStats.PssShift) / (ulong)refs : size << MemSizeStats.PssShift;
                    continue;
                }
                if (!pte.MapsFrame)
                    continue;
                int pfn = pte.Pfn;
                var flags = phys.Flags(pfn);
                bool dirty = pte.IsDirty || (flags & PageFlags.Dirty) != 0;
                if ((flags & PageFlags.Anon) != 0)
                {
                    mss.Anonymous += size;
                    if ((flags & PageFlags.SwapBacked) == 0 && !dirty)
                        mss.LazyFree += size;
                }
                mss.Resident += size;
                if (pte.IsYoung || (flags & PageFlags.Referenced) != 0)
                    mss.Referenced += size;
                if (phys.RefCount(pfn) == 1)
                {
                    Accumulate(ref mss, flags, size, size << MemSizeStats.PssShift, dirty, locked, priv: true);
                    continue;
                }
                int mapcount = phys.MapCount(pfn);
                ulong pss = size << MemSizeStats.PssShift;
                if (mapcount >= 2)
                    pss /= (ulong)mapcount;
                Accumulate(ref mss, flags, size, pss, dirty, locked, priv: mapcount < 2);
            }
        }
    }

    /// <summary>smaps_page_accumulate().</summary>
    private static void Accumulate(ref MemSizeStats mss, PageFlags flags, ulong size, ulong pss, bool dirty, bool locked, bool priv)
    {
        mss.Pss += pss;
        if ((flags & PageFlags.Anon) != 0)
            mss.PssAnon += pss;
        else if ((flags & PageFlags.SwapBacked) != 0)
            mss.PssShmem += pss;
        else
            mss.PssFile += pss;
        if (locked)
            mss.PssLocked += pss;
        if (dirty)
        {
            mss.PssDirty += pss;
            if (priv)
                mss.PrivateDirty += size;
            else
                mss.SharedDirty += size;
        }
        else if (priv)
        {
            mss.PrivateClean += size;
        }
        else
        {
            mss.SharedClean += size;
        }
    }

    public static string SmapsRollup(MmStruct mm)
    {
        var sb = new StringBuilder();
        var mss = default(MemSizeStats);
        foreach (var vma in mm.Vmas)
            SmapGather(mm, vma, ref mss);
        // show_smaps_rollup(): with no VMA at all (empty_set) the range is 0-0 and every field is zero.
        ulong start = mm.Vmas.First?.Start ?? 0, end = mm.Vmas.Last?.End ?? 0;
        int lineStart = sb.Length;
        sb.Append(s_inv, $"{start:x8}-{end:x8} ---p 00000000 00:00 0 ");
        sb.Append(' ', Math.Max(0, 72 - (sb.Length - lineStart))).Append(" [rollup]\n");
        SmapsCommon(sb, ref mss, rollup: true);
        return sb.ToString();
    }

    // /proc/PID/pagemap's flag bits (fs/proc/task_mmu.c PM_*).
    public const ulong PmSoftDirty = 1UL << 55;
    public const ulong PmMmapExclusive = 1UL << 56;
    public const ulong PmUffdWp = 1UL << 57;
    public const ulong PmGuardRegion = 1UL << 58;
    public const ulong PmFile = 1UL << 61;
    public const ulong PmSwap = 1UL << 62;
    public const ulong PmPresent = 1UL << 63;

    /// <summary>
    /// pte_to_pagemap_entry(): the 64-bit entry for the page at addr. The PFN is not shown (the reader lacks
    /// CAP_SYS_ADMIN); soft-dirty is compiled out, as on this machine. A page the zero page maps is present but
    /// neither file nor exclusive (vm_normal_page() is NULL for it); a frame mapped once is exclusive.
    /// </summary>
    public static ulong PagemapEntry(MmStruct mm, ulong addr)
    {
        var pte = mm.PageTables.Lookup(addr);
        if (pte.IsSwap)
        {
            // A swap entry or a PTE marker: swapped; a uffd-wp one (marker or swap bit) and a guard marker say so.
            ulong swapped = PmSwap;
            if (pte.IsUffdWp)
                swapped |= PmUffdWp;
            if ((pte.MarkerBits & Pte.MarkerGuard) != 0)
                swapped |= PmGuardRegion;
            return swapped;
        }
        if (!pte.IsPresent)
            return 0;
        ulong flags = PmPresent;
        if (pte.IsUffdWp)
            flags |= PmUffdWp;
        if (pte.MapsFrame)
        {
            int pfn = pte.Pfn;
            if ((mm.Phys.Flags(pfn) & PageFlags.Anon) == 0)
                flags |= PmFile;
            if (mm.Phys.MapCount(pfn) == 1)
                flags |= PmMmapExclusive;
        }
        return flags;
    }

    // /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h, and KPF_MLOCKED of the kernel-internal ones).
    public const int KpfReferenced = 2, KpfDirty = 4, KpfLru = 5, KpfActive = 6, KpfMmap = 11, KpfAnon = 12,
        KpfSwapcache = 13, KpfSwapbacked = 14, KpfUnevictable = 18, KpfZeroPage = 24, KpfMlocked = 33;

    /// <summary>stable_page_flags() for the page mapped at addr, or null when none is.</summary>
    public static ulong? KpageFlags(MmStruct mm, ulong addr)
    {
        var pte = mm.PageTables.Lookup(addr);
        if (!pte.IsPresent)
            return null;
        if (!pte.MapsFrame)
            return 1UL << KpfZeroPage;
        var f = mm.Phys.Flags(pte.Pfn);
        ulong k = 0;
        void Bit(bool on, int bit)
        {
            if (on)
                k |= 1UL << bit;
        }
        Bit((f & PageFlags.Referenced) != 0, KpfReferenced);
        Bit((f & PageFlags.Dirty) != 0, KpfDirty);
        Bit((f & PageFlags.Lru) != 0, KpfLru);
        Bit((f & PageFlags.Active) != 0, KpfActive);
        Bit(mm.Phys.MapCount(pte.Pfn) > 0, KpfMmap);
        Bit((f & PageFlags.Anon) != 0, KpfAnon);
        Bit((f & PageFlags.SwapCache) != 0, KpfSwapcache);
        Bit((f & PageFlags.SwapBacked) != 0, KpfSwapbacked);
        Bit(mm.Phys.TryGetLru(pte.Pfn, out var list) && list == LruList.Unevictable, KpfUnevictable);
        Bit((f & PageFlags.Mlocked) != 0, KpfMlocked);
        return k;
    }

    /// <summary>/proc/PID/status (fs/proc/array.c, with task_mem() for the Vm* lines).</summary>
    public static string Status(Process p)
    {
        var sb = new StringBuilder();
        // /proc/PID is the leader's: once it has exited (its threads running on), it is a zombie without mm or files.
        bool zombie = !p.IsAlive || p.Leader.HasExited;
        var mm = zombie ? null : p.Mm;
        sb.Append("Name:\tmmsim\nUmask:\t0022\n");
        sb.Append(zombie ? "State:\tZ (zombie)\n" : "State:\tS (sleeping)\n");
        sb.Append(s_inv, $"Tgid:\t{p.Pid}\nNgid:\t0\nPid:\t{p.Pid}\nPPid:\t{p.ParentPid}\nTracerPid:\t0\n");
        sb.Append(s_inv, $"Uid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\nFDSize:\t{(zombie ? 0 : 64)}\nGroups:\t \n");
        sb.Append(s_inv, $"NStgid:\t{p.Pid}\nNSpid:\t{p.Pid}\nNSpgid:\t{p.Pid}\nNSsid:\t{p.Pid}\nKthread:\t0\n");
        if (mm is not null)
        {
            long totalVm = mm.TotalVm;
            long hiwaterVm = Math.Max(totalVm, mm.HiwaterVm);
            long rss = mm.Rss;
            long hiwaterRss = Math.Max(rss, mm.HiwaterRss);
            StatusKb(sb, "VmPeak:\t", hiwaterVm * 4);
            StatusKb(sb, "VmSize:\t", totalVm * 4);
            StatusKb(sb, "VmLck:\t", mm.LockedVm * 4);
            StatusKb(sb, "VmPin:\t", mm.PinnedVm * 4);
            StatusKb(sb, "VmHWM:\t", hiwaterRss * 4);
            StatusKb(sb, "VmRSS:\t", rss * 4);
            StatusKb(sb, "RssAnon:\t", mm.RssAnon * 4);
            StatusKb(sb, "RssFile:\t", mm.RssFile * 4);
            StatusKb(sb, "RssShmem:\t", mm.RssShmem * 4);
            StatusKb(sb, "VmData:\t", mm.DataVm * 4);
            StatusKb(sb, "VmStk:\t", mm.StackVm * 4);
            StatusKb(sb, "VmExe:\t", 0);
            StatusKb(sb, "VmLib:\t", mm.ExecVm * 4);
            StatusKb(sb, "VmPTE:\t", mm.PageTables.Bytes >> 10);
            StatusKb(sb, "VmSwap:\t", mm.SwapEnts * 4);
            sb.Append("HugetlbPages:\t       0 kB\n");
        }
        if (mm is not null)
            sb.Append("CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n");
        // signal->nr_threads: the live tasks, and an exited leader until the whole group has gone.
        sb.Append(s_inv, $"Threads:\t{p.Tasks.Count + (p.IsAlive && p.Leader.HasExited ? 1 : 0)}\n");
        sb.Append("SigQ:\t0/63000\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n");
        sb.Append("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n");
        // /proc/PID is the thread group leader's task, whose credentials these are.
        var caps = p.Leader.Capabilities;
        sb.Append(s_inv, $"CapInh:\t{caps.Inheritable:x16}\nCapPrm:\t{caps.Permitted:x16}\nCapEff:\t{caps.Effective:x16}\n");
        sb.Append(s_inv, $"CapBnd:\t{Capability.CAP_VALID_MASK:x16}\nCapAmb:\t0000000000000000\n");
        sb.Append("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        sb.Append("Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
        sb.Append("voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
        return sb.ToString();
    }

    private static void StatusKb(StringBuilder sb, string label, long kb) =>
        sb.Append(label).Append(s_inv, $"{kb,8}").Append(" kB\n");

    /// <summary>/proc/meminfo of the simulated machine. Slab, kernel stacks and the like are 0: the model has none.</summary>
    public static string Meminfo(Kernel k)
    {
        // As the kernel runner does before reading it: every CPU's folio batches drained.
        k.LruAddDrain();
        var phys = k.Phys;
        // NR_ANON_MAPPED and NR_FILE_MAPPED; the LRU lists count themselves (after the drain, every folio is on one).
        long anon = 0, mapped = 0;
        for (int pfn = 1; pfn < phys.HighWater; pfn++)
        {
            if (!phys.IsAllocated(pfn) || phys.MapCount(pfn) == 0)
                continue;
            if ((phys.Flags(pfn) & PageFlags.Anon) != 0)
                anon++;
            else
                mapped++;
        }
        long activeAnon = phys.LruSize(LruList.ActiveAnon), inactiveAnon = phys.LruSize(LruList.InactiveAnon);
        long activeFile = phys.LruSize(LruList.ActiveFile), inactiveFile = phys.LruSize(LruList.InactiveFile);
        long pageTables = (long)phys.PageTablePages << PhysicalMemory.PageShift;
        long total = phys.TotalFrames;
        long free = phys.FreeFrames;
        long commitLimit = total * k.Config.OvercommitRatio / 100 + k.Swap.TotalPages; // vm_commit_limit()
        var sb = new StringBuilder();
        void Line(string label, long kb) => sb.Append((label + ":").PadRight(16)).Append(s_inv, $"{kb,8}").Append(" kB\n");
        Line("MemTotal", total * 4);
        Line("MemFree", free * 4);
        // si_mem_available(): free pages above the reserve (the high watermark), plus the page cache reclaim could drop
        // (the file lists, lazyfree folios among them) less what it would keep.
        long pageCache = activeFile + inactiveFile;
        long available = free - phys.WmarkHigh + pageCache - Math.Min(pageCache / 2, phys.WmarkLow);
        Line("MemAvailable", Math.Max(available, 0) * 4);
        Line("Buffers", 0);
        Line("Cached", k.NrShmem * 4);
        Line("SwapCached", k.Swap.CachedPages * 4);
        Line("Active", (activeAnon + activeFile) * 4);
        Line("Inactive", (inactiveAnon + inactiveFile) * 4);
        Line("Active(anon)", activeAnon * 4);
        Line("Inactive(anon)", inactiveAnon * 4);
        Line("Active(file)", activeFile * 4);
        Line("Inactive(file)", inactiveFile * 4);
        Line("Unevictable", phys.LruSize(LruList.Unevictable) * 4);
        Line("Mlocked", k.NrMlock * 4);
        Line("SwapTotal", k.Swap.TotalPages * 4);
        Line("SwapFree", k.Swap.FreePages * 4);
        Line("Zswap", 0);
        Line("Zswapped", 0);
        Line("Dirty", 0);
        Line("Writeback", 0);
        Line("AnonPages", anon * 4);
        Line("Mapped", mapped * 4);
        Line("Shmem", k.NrShmem * 4);
        Line("KReclaimable", 0);
        Line("Slab", 0);
        Line("SReclaimable", 0);
        Line("SUnreclaim", 0);
        Line("KernelStack", 0);
        Line("PageTables", pageTables >> 10);
        Line("SecPageTables", 0);
        Line("NFS_Unstable", 0);
        Line("Bounce", 0);
        Line("WritebackTmp", 0);
        Line("CommitLimit", commitLimit * 4);
        Line("Committed_AS", k.CommittedPages * 4);
        Line("VmallocTotal", 34359738367);
        Line("VmallocUsed", 0);
        Line("VmallocChunk", 0);
        Line("Percpu", 0);
        Line("AnonHugePages", 0);
        Line("ShmemHugePages", 0);
        Line("ShmemPmdMapped", 0);
        Line("FileHugePages", 0);
        Line("FilePmdMapped", 0);
        sb.Append("HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugePages_Surp:        0\n");
        Line("Hugepagesize", 2048);
        Line("Hugetlb", 0);
        return sb.ToString();
    }
}

using System.Runtime.CompilerServices;

namespace MmSim.Mm;

/// <summary>
/// An x86-64 page-table entry (PTE level). Layout as in arch/x86/include/asm/pgtable_types.h:
/// <code>
///  63  62..52  51........12  11   10  9    8  7   6  5  4   3   2  1  0
///  NX  (avail) PFN           SD   -   SPL  G  PAT D  A  PCD PWT US RW P
/// </code>
/// SD is _PAGE_SOFT_DIRTY (software bit 11), SPL is _PAGE_SPECIAL (software bit 9, set for the zero page), and
/// bit 10 is _PAGE_UFFD_WP (software bit 2): write-protected for userfaultfd, which also clears RW.
/// <para>
/// A non-present entry with other bits set (P=0 and PROTNONE=0, Raw != 0) is a swap entry (is_swap_pte()), laid out
/// as x86-64 lays out swp_entry_t in a PTE, without the offset inversion:
/// <code>
///  63..59  58........9  8  ...  3  2  1  0
///  TYPE    OFFSET       0       E  F  SD 0
/// </code>
/// E is _PAGE_SWP_EXCLUSIVE, F is _PAGE_SWP_UFFD_WP. Type <see cref="SwpPteMarker"/> is a PTE marker
/// (include/linux/swapops.h): the offset holds the marker bits, <see cref="MarkerUffdWp"/> (a uffd-wp protected
/// page that is not mapped), <see cref="MarkerPoisoned"/> (UFFDIO_POISON) and <see cref="MarkerGuard"/> (guard
/// regions). Swap devices use types 0 to 30.
/// </para>
/// </summary>
internal readonly record struct Pte(ulong Raw)
{
    public const ulong Present = 1UL << 0;
    public const ulong Write = 1UL << 1;
    public const ulong User = 1UL << 2;
    public const ulong Accessed = 1UL << 5;
    public const ulong Dirty = 1UL << 6;
    public const ulong Special = 1UL << 9;
    /// <summary>_PAGE_PROTNONE (the global bit, reused): mapped but inaccessible, after mprotect(PROT_NONE).</summary>
    public const ulong ProtNone = 1UL << 8;
    public const ulong SoftDirty = 1UL << 11;
    /// <summary>_PAGE_UFFD_WP: userfaultfd write-protected; such an entry is never writable.</summary>
    public const ulong UffdWp = 1UL << 10;
    public const ulong NoExec = 1UL << 63;
    public const ulong PfnMask = 0x000F_FFFF_FFFF_F000UL;

    /// <summary>_PAGE_SWP_UFFD_WP: a swap entry of a uffd-wp protected page.</summary>
    public const ulong SwpUffdWp = 1UL << 2;
    /// <summary>_PAGE_SWP_EXCLUSIVE.</summary>
    public const ulong SwpExclusive = 1UL << 3;
    private const int SwpTypeShift = 59;
    private const int SwpOffsetShift = 9;
    private const ulong SwpOffsetMask = (1UL << (SwpTypeShift - SwpOffsetShift)) - 1;
    /// <summary>The swap type of PTE markers (SWP_PTE_MARKER).</summary>
    public const int SwpPteMarker = 31;
    /// <summary>PTE_MARKER_UFFD_WP: the page was write-protected for userfaultfd before it was unmapped (or never mapped).</summary>
    public const ulong MarkerUffdWp = 1;
    /// <summary>PTE_MARKER_POISONED: UFFDIO_POISON; an access is SIGBUS.</summary>
    public const ulong MarkerPoisoned = 2;
    /// <summary>PTE_MARKER_GUARD: a guard region page; an access is SIGSEGV.</summary>
    public const ulong MarkerGuard = 4;

    public static readonly Pte None = default;

    public bool IsNone => Raw == 0;
    /// <summary>is_swap_pte(): not none and not present, a swap entry or a marker.</summary>
    public bool IsSwap => Raw != 0 && (Raw & (Present | ProtNone)) == 0;
    public int SwpType => (int)(Raw >> SwpTypeShift);
    public ulong SwpOffset => (Raw >> SwpOffsetShift) & SwpOffsetMask;
    /// <summary>is_pte_marker(): a PTE marker entry.</summary>
    public bool IsMarker => IsSwap && SwpType == SwpPteMarker;
    /// <summary>pte_marker_get(): the marker bits, 0 for anything else.</summary>
    public ulong MarkerBits => IsMarker ? SwpOffset : 0;
    /// <summary>A swap entry proper (is_swap_pte() and not non_swap_entry()): the page is in a swap slot.</summary>
    public bool IsSwapEntry => IsSwap && SwpType != SwpPteMarker;
    /// <summary>pte_swp_exclusive(): the swapped-out page was exclusive to this mapping.</summary>
    public bool IsSwpExclusive => (Raw & SwpExclusive) != 0;
    /// <summary>pte_none_mostly(): none, or only a marker.</summary>
    public bool IsNoneMostly => IsNone || IsMarker;
    /// <summary>pte_uffd_wp() for a present entry; pte_swp_uffd_wp_any() for a swap entry or marker.</summary>
    public bool IsUffdWp => IsPresent ? (Raw & UffdWp) != 0
        : IsMarker ? (SwpOffset & MarkerUffdWp) != 0
        : IsSwap && (Raw & SwpUffdWp) != 0;
    /// <summary>pte_present(): maps a page, accessible or PROT_NONE.</summary>
    public bool IsPresent => (Raw & (Present | ProtNone)) != 0;
    /// <summary>The MMU will translate through it (_PAGE_PRESENT).</summary>
    public bool IsAccessible => (Raw & Present) != 0;
    /// <summary>Maps a refcounted frame (vm_normal_page() != NULL): present and not the zero page.</summary>
    public bool MapsFrame => IsPresent && !IsSpecial;
    public bool IsWrite => (Raw & Write) != 0;
    public bool IsDirty => (Raw & Dirty) != 0;
    public bool IsYoung => (Raw & Accessed) != 0;
    public bool IsSpecial => (Raw & Special) != 0;
    public int Pfn => (int)((Raw & PfnMask) >> 12);

    public static Pte Make(int pfn, ulong bits) => new(((ulong)pfn << 12) | bits | Present | User);

    /// <summary>swp_entry_to_pte(): the entry of swap slot <paramref name="offset"/> of device <paramref name="type"/>.</summary>
    public static Pte SwapEntry(int type, ulong offset) =>
        new(((ulong)type << SwpTypeShift) | ((offset & SwpOffsetMask) << SwpOffsetShift));

    /// <summary>make_pte_marker(): a marker entry with these PTE_MARKER_* bits.</summary>
    public static Pte Marker(ulong bits) => new(((ulong)SwpPteMarker << SwpTypeShift) | ((bits & SwpOffsetMask) << SwpOffsetShift));

    /// <summary>pte_mkuffd_wp(): protected, and so not writable.</summary>
    public Pte WithUffdWp() => new((Raw | UffdWp) & ~Write);
    /// <summary>pte_clear_uffd_wp().</summary>
    public Pte WithoutUffdWp() => new(Raw & ~UffdWp);

    public Pte WithWrite() => new(Raw | Write);
    public Pte WithoutWrite() => new(Raw & ~Write);
    public Pte WithDirty() => new(Raw | Dirty);
    public Pte WithoutDirty() => new(Raw & ~Dirty);
    public Pte WithYoung() => new(Raw | Accessed);
    public Pte WithoutYoung() => new(Raw & ~Accessed);

    public override string ToString() => $"Pte(0x{Raw:x})";
}

/// <summary>A page of 512 PTEs: maps one 2 MiB range.</summary>
internal sealed class PteTable
{
    public readonly ulong[] Entries = new ulong[PageTables.EntriesPerTable];
}

/// <summary>A page of 512 PMD entries: maps one 1 GiB range. A null slot is pmd_none.</summary>
internal sealed class PmdTable
{
    public readonly PteTable?[] Entries = new PteTable?[PageTables.EntriesPerTable];
}

/// <summary>A page of 512 PUD entries: maps one 512 GiB range.</summary>
internal sealed class PudTable
{
    public readonly PmdTable?[] Entries = new PmdTable?[PageTables.EntriesPerTable];
}

/// <summary>
/// x86-64 four-level page tables of one mm (PGD, PUD, PMD, PTE; P4D folded, as with 4-level paging).
/// Table pages are real objects allocated on demand (__pte_alloc, __pmd_alloc, __pud_alloc) and freed by
/// <see cref="FreePgdRange"/> exactly as free_pgd_range() frees them, so VmPTE (mm->pgtables_bytes, which counts
/// PUD, PMD and PTE tables but not the PGD) matches Linux. Each table, the PGD included, is charged one frame of
/// the machine's RAM while it exists; an allocation fails (returns null) when RAM is exhausted, and the caller
/// decides what Linux would: the OOM killer for a fault, ENOMEM for fork.
/// </summary>
internal sealed class PageTables(PhysicalMemory phys)
{
    public const int EntriesPerTable = 512;
    public const int PmdShift = 21;
    public const int PudShift = 30;
    public const int PgdShift = 39;
    public const ulong PmdSize = 1UL << PmdShift;
    public const ulong PudSize = 1UL << PudShift;
    public const ulong PgdSize = 1UL << PgdShift;
    public const ulong PmdMask = ~(PmdSize - 1);
    public const ulong PudMask = ~(PudSize - 1);
    public const ulong PgdMask = ~(PgdSize - 1);

    /// <summary>The PGD page. Always present for a live mm; not counted in pgtables_bytes.</summary>
    public readonly PudTable?[] Pgd = new PudTable?[EntriesPerTable];

    public long NrPtes { get; private set; }
    public long NrPmds { get; private set; }
    public long NrPuds { get; private set; }

    /// <summary>mm_pgtables_bytes(): what status reports as VmPTE.</summary>
    public long Bytes => (NrPtes + NrPmds + NrPuds) * 4096;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PgdIndex(ulong addr) => (int)((addr >> PgdShift) & 511);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PudIndex(ulong addr) => (int)((addr >> PudShift) & 511);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PmdIndex(ulong addr) => (int)((addr >> PmdShift) & 511);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PteIndex(ulong addr) => (int)((addr >> 12) & 511);

    /// <summary>The PTE table covering addr, or null if any level above is none. Allocates nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PteTable? LookupPteTable(ulong addr)
    {
        var pud = Pgd[PgdIndex(addr)];
        if (pud is null)
            return null;
        var pmd = pud.Entries[PudIndex(addr)];
        return pmd?.Entries[PmdIndex(addr)];
    }

    public Pte Lookup(ulong addr)
    {
        var t = LookupPteTable(addr);
        return t is null ? Pte.None : new Pte(t.Entries[PteIndex(addr)]);
    }

    /// <summary>The PGD page is charged (mm_alloc()'s pgd_alloc() succeeded, and exit has not freed it).</summary>
    public bool HasPgd { get; private set; }

    /// <summary>pgd_alloc(): charge the PGD page. False when RAM is exhausted.</summary>
    public bool TryAllocPgd()
    {
        if (!HasPgd && !phys.TryChargePageTable())
            return false;
        HasPgd = true;
        return true;
    }

    /// <summary>
    /// pgd_free() at the end of exit_mmap(): returns the PGD's frame, and those of any table still present (none,
    /// once free_pgtables() has run over every VMA).
    /// </summary>
    public void FreePgd()
    {
        long tables = NrPtes + NrPmds + NrPuds + (HasPgd ? 1 : 0);
        Array.Clear(Pgd);
        NrPtes = NrPmds = NrPuds = 0;
        HasPgd = false;
        phys.UnchargePageTables((int)tables);
    }

    /// <summary>
    /// The PTE table covering addr, allocating the PUD, PMD and PTE tables on the way (pte_alloc_map); null when
    /// RAM ran out first (the tables allocated on the way stay, as they do on Linux).
    /// </summary>
    public PteTable? TryAllocPteTable(ulong addr)
    {
        var pmd = TryAllocPmd(addr);
        if (pmd is null)
            return null;
        ref var pteSlot = ref pmd.Entries[PmdIndex(addr)];
        if (pteSlot is null)
        {
            if (!phys.TryChargePageTable())
                return null;
            pteSlot = new PteTable();
            NrPtes++;
        }
        return pteSlot;
    }

    /// <summary>The PUD entry covering addr is present (get_old_pud() != NULL).</summary>
    public bool HasPud(ulong addr) => Pgd[PgdIndex(addr)]?.Entries[PudIndex(addr)] is not null;

    /// <summary>The PMD entry covering addr is present (get_old_pmd() != NULL).</summary>
    public bool HasPmd(ulong addr) => LookupPteTable(addr) is not null;

    /// <summary>alloc_new_pud(): the PUD table for addr, allocated if none; null when RAM is exhausted.</summary>
    public PudTable? TryAllocPud(ulong addr)
    {
        ref var slot = ref Pgd[PgdIndex(addr)];
        if (slot is null)
        {
            if (!phys.TryChargePageTable())
                return null;
            slot = new PudTable();
            NrPuds++;
        }
        return slot;
    }

    /// <summary>alloc_new_pmd(): the PMD table for addr, allocated (with its PUD table) if none; null when RAM is exhausted.</summary>
    public PmdTable? TryAllocPmd(ulong addr)
    {
        var pud = TryAllocPud(addr);
        if (pud is null)
            return null;
        ref var slot = ref pud.Entries[PudIndex(addr)];
        if (slot is null)
        {
            if (!phys.TryChargePageTable())
                return null;
            slot = new PmdTable();
            NrPmds++;
        }
        return slot;
    }

    /// <summary>
    /// The most table pages a walk over [addr, addr + len) can allocate: a PTE table per 2 MiB, a PMD table per
    /// 1 GiB and a PUD table per 512 GiB the range touches.
    /// </summary>
    public static long MaxTablesFor(ulong addr, ulong len)
    {
        if (len == 0)
            return 0;
        ulong last = addr + len - 1;
        return (long)((last >> PmdShift) - (addr >> PmdShift) + 1)
            + (long)((last >> PudShift) - (addr >> PudShift) + 1)
            + (long)((last >> PgdShift) - (addr >> PgdShift) + 1);
    }

    /// <summary>
    /// move_normal_pud(): move the whole PMD table under oldAddr's PUD entry to newAddr's, which must be none.
    /// Preconditions: both addresses PUD-aligned; the old entry is present; AllocPud(newAddr) was called.
    /// </summary>
    public bool MoveNormalPud(ulong oldAddr, ulong newAddr)
    {
        ref var dst = ref Pgd[PgdIndex(newAddr)]!.Entries[PudIndex(newAddr)];
        if (dst is not null)
            return false;
        ref var src = ref Pgd[PgdIndex(oldAddr)]!.Entries[PudIndex(oldAddr)];
        dst = src;
        src = null;
        return true;
    }

    /// <summary>
    /// move_normal_pmd(): move the PTE table under oldAddr's PMD entry to newAddr's, which must be none.
    /// Preconditions: both addresses PMD-aligned; the old entry is present; AllocPmd(newAddr) was called.
    /// </summary>
    public bool MoveNormalPmd(ulong oldAddr, ulong newAddr)
    {
        ref var dst = ref Pgd[PgdIndex(newAddr)]!.Entries[PudIndex(newAddr)]!.Entries[PmdIndex(newAddr)];
        if (dst is not null)
            return false;
        ref var src = ref Pgd[PgdIndex(oldAddr)]!.Entries[PudIndex(oldAddr)]!.Entries[PmdIndex(oldAddr)];
        dst = src;
        src = null;
        return true;
    }

    /// <summary>
    /// Frees the page-table pages that map only [addr, end) within the free window [floor, ceiling), as
    /// free_pgd_range() does after unmap_vmas() has cleared the entries. ceiling 0 means the top of the address space.
    /// Preconditions: every PTE in [addr, end) is none.
    /// </summary>
    public void FreePgdRange(ulong addr, ulong end, ulong floor, ulong ceiling)
    {
        // mirrors free_pgd_range(): trim to whole PMDs inside [floor, ceiling)
        addr &= PmdMask;
        if (addr < floor)
        {
            addr += PmdSize;
            if (addr == 0)
                return;
        }
        if (ceiling != 0)
        {
            ceiling &= PmdMask;
            if (ceiling == 0)
                return;
        }
        if (end - 1 > ceiling - 1)
            end -= PmdSize;
        if (addr > end - 1)
            return;

        do
        {
            ulong next = PgdAddrEnd(addr, end);
            var pud = Pgd[PgdIndex(addr)];
            if (pud is not null)
                FreePudRange(pud, addr, next, floor, ceiling);
            addr = next;
        }
        while (addr != end);
    }

    private void FreePudRange(PudTable pud, ulong addr, ulong end, ulong floor, ulong ceiling)
    {
        ulong start = addr;
        do
        {
            ulong next = AddrEnd(addr, end, PudSize);
            var pmd = pud.Entries[PudIndex(addr)];
            if (pmd is not null)
                FreePmdRange(pud, pmd, addr, next, floor, ceiling);
            addr = next;
        }
        while (addr != end);

        // mirrors free_p4d_range()'s tail: free the PUD table if its whole PGD slot is inside [floor, ceiling)
        if (!OuterFits(start, end, floor, ceiling, PgdMask))
            return;
        Pgd[PgdIndex(start)] = null;
        NrPuds--;
        phys.UnchargePageTables(1);
    }

    private void FreePmdRange(PudTable pud, PmdTable pmd, ulong addr, ulong end, ulong floor, ulong ceiling)
    {
        ulong start = addr;
        do
        {
            ulong next = AddrEnd(addr, end, PmdSize);
            if (pmd.Entries[PmdIndex(addr)] is not null)
            {
                // mirrors free_pte_range(): the PTE table is empty by now
                pmd.Entries[PmdIndex(addr)] = null;
                NrPtes--;
                phys.UnchargePageTables(1);
            }
            addr = next;
        }
        while (addr != end);

        if (!OuterFits(start, end, floor, ceiling, PudMask))
            return;
        pud.Entries[PudIndex(start)] = null;
        NrPmds--;
        phys.UnchargePageTables(1);
    }

    // The "start &= MASK; if (start < floor) return; ... if (end - 1 > ceiling - 1) return;" test of free_pmd_range().
    private static bool OuterFits(ulong start, ulong end, ulong floor, ulong ceiling, ulong mask)
    {
        start &= mask;
        if (start < floor)
            return false;
        if (ceiling != 0)
        {
            ceiling &= mask;
            if (ceiling == 0)
                return false;
        }
        return !(end - 1 > ceiling - 1);
    }

    /// <summary>
    /// The PTE tables that exist under [start, end), each with the index range of its entries inside it, in
    /// address order: the walk zap, change_protection, mlock and smaps share. A struct enumerator: no allocation.
    /// </summary>
    public PteTableWalk Walk(ulong start, ulong end) => new(this, start, end);

    /// <summary>One step of <see cref="Walk"/>: entries [From, To] of Table, the first mapping address Start.</summary>
    public readonly record struct PteTableSpan(PteTable Table, int From, int To, ulong Start);

    public struct PteTableWalk(PageTables tables, ulong start, ulong end)
    {
        private ulong _addr = start;

        public PteTableSpan Current { get; private set; }

        public bool MoveNext()
        {
            while (_addr < end)
            {
                ulong addr = _addr;
                ulong next = AddrEnd(addr, end, PmdSize);
                _addr = next;
                if (tables.LookupPteTable(addr) is { } table)
                {
                    Current = new PteTableSpan(table, PteIndex(addr), PteIndex(next - 1), addr);
                    return true;
                }
            }
            return false;
        }

        public readonly PteTableWalk GetEnumerator() => this;
    }

    private static ulong PgdAddrEnd(ulong addr, ulong end) => AddrEnd(addr, end, PgdSize);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddrEnd(ulong addr, ulong end, ulong size)
    {
        ulong boundary = (addr + size) & ~(size - 1);
        return boundary - 1 < end - 1 ? boundary : end;
    }
}

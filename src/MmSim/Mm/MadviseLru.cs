using MmSim.Abi;

namespace MmSim.Mm;

// MADV_COLD, MADV_PAGEOUT and MADV_FREE: the advices that act on the LRU lists and swap, after mm/madvise.c of
// Linux 6.18 (madvise_cold_or_pageout_pte_range(), madvise_free_pte_range()).
internal sealed partial class MmStruct
{
    /// <summary>can_madv_lru_vma(): not on locked, PFN-mapped or hugetlb VMAs.</summary>
    private static bool CanMadvLruVma(Vma vma) => (vma.Flags & (VmFlags.Locked | VmFlags.PfnMap | VmFlags.HugeTlb)) == 0;

    /// <summary>
    /// madvise_cold() and madvise_pageout() for one VMA's part: each page mapped only here (mapcount 1; fork-shared
    /// pages and shmem pages mapped twice are left alone) loses PG_referenced; COLD also makes its PTE old and
    /// deactivates the folio, PAGEOUT reclaims it at once (reclaim_pages()): swapped out if anonymous and swap has
    /// room, otherwise activated. EINVAL on a locked VMA.
    /// </summary>
    private long MadviseColdOrPageout(Vma vma, ulong start, ulong end, bool pageout)
    {
        if (!CanMadvLruVma(vma))
            return -(long)Errno.EINVAL;
        Kernel.LruAddDrain();
        // reclaim_pages() of the folios isolated, per page table as 6.18 does it (one list per PMD).
        var reclaim = Kernel.Vmscan.Isolated;
        reclaim.Clear();
        foreach (var span in PageTables.Walk(start, end))
        {
            var e = span.Table.Entries;
            for (int i = span.From; i <= span.To; i++)
            {
                var pte = new Pte(e[i]);
                if (!pte.MapsFrame)
                    continue;
                int pfn = pte.Pfn;
                if (!Kernel.Lru.IsOnLru(pfn) || Phys.MapCount(pfn) != 1)
                    continue;
                ref var flags = ref Phys.Flags(pfn);
                if (!pageout && pte.IsYoung)
                    e[i] = pte.WithoutYoung().Raw;
                flags &= ~PageFlags.Referenced;
                if (pageout)
                {
                    // folio_isolate_lru(); an unevictable (mlocked) folio is not taken.
                    if ((flags & PageFlags.Mlocked) == 0 && Kernel.Lru.Isolate(pfn))
                        reclaim.Add(pfn);
                }
                else
                {
                    Kernel.Lru.Deactivate(pfn);
                }
            }
            Kernel.Vmscan.ReclaimPages(reclaim);
        }
        return 0;
    }

    /// <summary>
    /// madvise_willneed(): the swapped-out pages of the range are read into the swap cache (read_swap_cache_async(),
    /// one slot each, no readahead), still unmapped: an anonymous VMA's swap entries, or the swap entries of the shmem
    /// file behind the range. Then the CPU's folio batches drain.
    /// </summary>
    private long MadviseWillNeed(Vma vma, ulong start, ulong end)
    {
        if (vma.File is { } file)
        {
            ulong first = vma.LinearPageIndex(start);
            foreach (var (_, entry) in file.SwapBetween(first, first + ((end - start) >> PageShift)))
                Kernel.ReadSwapCacheAsync(entry);
        }
        else
        {
            foreach (var span in PageTables.Walk(start, end))
            {
                for (int i = span.From; i <= span.To; i++)
                {
                    var pte = new Pte(span.Table.Entries[i]);
                    if (pte.IsSwapEntry)
                        Kernel.ReadSwapCacheAsync(Mm.Swap.SwapEntry.FromPte(pte));
                }
            }
        }
        Kernel.LruAddDrain();
        return 0;
    }

    /// <summary>
    /// madvise_free_single_vma(): anonymous VMAs only (EINVAL otherwise). Swap entries are freed (reads then give
    /// zeros); each mapped page gets a clean, old PTE and is queued to become lazyfree: reclaim may then discard it
    /// unless it is written again first. A page in the swap cache or dirty is only treated when mapped once, and
    /// a swap-cache page only when its slot can be freed.
    /// </summary>
    private long MadviseFree(Vma vma, ulong start, ulong end)
    {
        if (!vma.IsAnonymous)
            return -(long)Errno.EINVAL;
        Kernel.LruAddDrain();
        UpdateHiwaterRss();
        var phys = Phys;
        var lru = Kernel.Lru;
        foreach (var span in PageTables.Walk(start, end))
        {
            var e = span.Table.Entries;
            for (int i = span.From; i <= span.To; i++)
            {
                var pte = new Pte(e[i]);
                if (pte.IsNone)
                    continue;
                if (!pte.IsPresent)
                {
                    if (pte.IsSwapEntry)
                    {
                        e[i] = 0;
                        FreeSwapAndCache(pte);
                    }
                    else if ((pte.MarkerBits & Pte.MarkerPoisoned) != 0)
                    {
                        e[i] = 0;
                    }
                    continue;
                }
                if (!pte.MapsFrame)
                    continue;
                int pfn = pte.Pfn;
                ref var flags = ref phys.Flags(pfn);
                if ((flags & (PageFlags.SwapCache | PageFlags.Dirty)) != 0)
                {
                    if (phys.MapCount(pfn) != 1)
                        continue;
                    if ((flags & PageFlags.SwapCache) != 0 && !Swap.FreeSwap(pfn))
                        continue;
                    flags &= ~PageFlags.Dirty;
                }
                if (pte.IsYoung || pte.IsDirty)
                    e[i] = pte.WithoutYoung().WithoutDirty().Raw;
                // folio_mark_lazyfree(): only a swap-backed folio is queued (a lazyfree one already is what FREE asks).
                if ((flags & PageFlags.SwapBacked) != 0)
                    lru.MarkLazyfree(pfn);
            }
        }
        return 0;
    }
}

namespace MmSim.Mm.Reclaim;

/// <summary>
/// The CPU's lru_lazyfree folio batch (mm/swap.c): MADV_FREE queues folios here, holding a reference, and they
/// become lazyfree (PG_swapbacked cleared: smaps LazyFree) only when the batch drains: when it fills (31 folios,
/// FOLIO_BATCH_SIZE) or at an lru_add_drain() — MADV_COLD, MADV_PAGEOUT and MADV_FREE themselves, munmap, exit,
/// mlock and munlock, and meminfo (the kernel runner drains every CPU's batches before reading it). The model runs
/// every task on one CPU, so there is one batch.
/// </summary>
internal sealed class LruBatch(PhysicalMemory phys)
{
    /// <summary>FOLIO_BATCH_SIZE.</summary>
    public const int Size = 31;

    private readonly List<int> _lazyfree = new(Size);

    /// <summary>Folios waiting in the batch.</summary>
    public IReadOnlyList<int> Pending => _lazyfree;

    /// <summary>folio_mark_lazyfree(): an anonymous, swap-backed folio outside the swap cache and not mlocked is queued.</summary>
    public void MarkLazyfree(int pfn)
    {
        if (!CanLazyfree(phys.Flags(pfn)) || _lazyfree.Contains(pfn))
            return;
        phys.Get(pfn);
        _lazyfree.Add(pfn);
        if (_lazyfree.Count == Size)
            Drain();
    }

    private static bool CanLazyfree(PageFlags f) =>
        (f & (PageFlags.Anon | PageFlags.SwapBacked | PageFlags.SwapCache | PageFlags.Mlocked)) == (PageFlags.Anon | PageFlags.SwapBacked);

    /// <summary>lru_add_drain(): lru_lazyfree() on each queued folio that still qualifies, then the batch's reference goes.</summary>
    public void Drain()
    {
        foreach (int pfn in _lazyfree)
        {
            ref var f = ref phys.Flags(pfn);
            if (CanLazyfree(f) && phys.MapCount(pfn) > 0)
                f &= ~(PageFlags.Active | PageFlags.Referenced | PageFlags.SwapBacked);
            phys.Put(pfn);
        }
        _lazyfree.Clear();
    }
}

using MmSim.Abi;

namespace MmSim.Mm.Swap;

/// <summary>
/// The machine's swap (mm/swapfile.c and mm/swap_state.c): the devices swapon() added, their slot counts, the swap
/// cache and the readahead state. Folios in the swap cache hold one reference for it, as in the kernel.
/// </summary>
internal sealed class SwapState(PhysicalMemory phys)
{
    /// <summary>MAX_SWAPFILES with the model's PTE-marker type taken out: types 0 to 30.</summary>
    public const int MaxDevices = Pte.SwpPteMarker;

    /// <summary>/proc/sys/vm/page-cluster: swap readahead reads up to 2^N slots; 3 by default.</summary>
    public int PageCluster { get; set; } = 3;

    private readonly List<SwapDevice> _devices = [];
    // swapin_nr_pages()'s machine-wide state: the last offset without hits, the hits since, the last window.
    private int _raPrevOffset;
    private int _raHits;
    private int _raLastPages;

    public IReadOnlyList<SwapDevice> Devices => _devices;

    /// <summary>Slots on every device (total_swap_pages).</summary>
    public long TotalPages { get; private set; }

    /// <summary>Free slots (nr_swap_pages): SwapFree.</summary>
    public long FreePages { get; private set; }

    /// <summary>Folios in the swap cache (NR_SWAPCACHE): SwapCached.</summary>
    public long CachedPages { get; private set; }

    /// <summary>vm_swap_full(): more than half of swap in use.</summary>
    public bool IsFull => FreePages * 2 < TotalPages;

    /// <summary>
    /// swapon() of a swap file of <paramref name="bytes"/> made by mkswap: the header takes the first page. The
    /// device gets the next priority down (-2, -3, …). Returns 0, or -EINVAL for a file mkswap refuses (under 10
    /// pages), -EPERM when every swap type is taken.
    /// </summary>
    public long Swapon(ulong bytes)
    {
        ulong pages = bytes >> PhysicalMemory.PageShift;
        if (pages < 10 || pages > int.MaxValue / 2)
            return -(long)Errno.EINVAL;
        if (_devices.Count == MaxDevices)
            return -(long)Errno.EPERM;
        var dev = new SwapDevice(_devices.Count, -2 - _devices.Count, (int)pages);
        _devices.Add(dev);
        TotalPages += dev.Usable;
        FreePages += dev.Usable;
        return 0;
    }

    public SwapDevice Device(SwapEntry e) => _devices[e.Type];

    /// <summary>folio_alloc_swap()'s slot: from the device of highest priority with a free slot. False when swap is full or absent.</summary>
    public bool TryAlloc(out SwapEntry entry)
    {
        foreach (var dev in _devices)
        {
            if (dev.TryAlloc(out int offset))
            {
                FreePages--;
                entry = new SwapEntry(dev.Type, offset);
                return true;
            }
        }
        entry = default;
        return false;
    }

    /// <summary>swp_swapcount(): the references to the slot, from page tables and shmem.</summary>
    public int Count(SwapEntry e) => Device(e).Count(e.Offset);

    /// <summary>swap_duplicate(): one more reference (fork, try_to_unmap, shmem).</summary>
    public void Dup(SwapEntry e) => Device(e).Count(e.Offset)++;

    /// <summary>
    /// swap_free() of one reference. The slot is freed when it was the last and the swap cache does not hold it;
    /// returns whether only the cache holds it now (the caller may try to reclaim the cached folio).
    /// </summary>
    public bool Put(SwapEntry e)
    {
        var dev = Device(e);
        --dev.Count(e.Offset);
        if (dev.FreeIfUnused(e.Offset))
            FreePages++;
        return dev.Count(e.Offset) == 0 && dev.CachePfn(e.Offset) >= 0;
    }

    /// <summary>The swap cache's folio for the slot (swap_cache_get_folio()), or -1.</summary>
    public int CachePfn(SwapEntry e) => Device(e).CachePfn(e.Offset);

    /// <summary>swap_cache_add_folio(): the folio caches the slot, and the cache holds a reference to it.</summary>
    public void AddToCache(SwapEntry e, int pfn)
    {
        Device(e).SetCache(e.Offset, pfn);
        phys.Flags(pfn) |= PageFlags.SwapCache;
        phys.SwapSlot(pfn) = e.Raw;
        phys.Get(pfn);
        CachedPages++;
    }

    /// <summary>
    /// swap_cache_del_folio() + put_swap_folio(): the folio leaves the swap cache, dropping the cache's reference;
    /// the slot is freed if nothing else refers to it.
    /// </summary>
    public void DeleteFromCache(int pfn)
    {
        var e = SwapEntry.FromRaw(phys.SwapSlot(pfn));
        var dev = Device(e);
        // The slot's contents were written when the folio was (Write()); the model keeps them in the folio while it
        // is cached, and copies them out only now, if anything still refers to the slot.
        if (dev.Count(e.Offset) > 0 && !dev.IsZero(e.Offset))
            phys.Data(pfn).CopyTo(dev.Data(e.Offset));
        dev.SetCache(e.Offset, -1);
        if (dev.FreeIfUnused(e.Offset))
            FreePages++;
        phys.Flags(pfn) &= ~PageFlags.SwapCache;
        phys.SwapSlot(pfn) = 0;
        CachedPages--;
        phys.Put(pfn);
    }

    /// <summary>
    /// folio_free_swap(): a cached folio that no page table or shmem slot refers to by its swap entry any more
    /// leaves the swap cache, freeing the slot, and is marked dirty. False if the folio is not in the cache or the slot
    /// is still referred to.
    /// </summary>
    public bool FreeSwap(int pfn)
    {
        if ((phys.Flags(pfn) & PageFlags.SwapCache) == 0)
            return false;
        if (Count(SwapEntry.FromRaw(phys.SwapSlot(pfn))) != 0)
            return false;
        DeleteFromCache(pfn);
        // Its only copy is now in memory: the folio is dirty (found by fuzz, seed 430).
        phys.Flags(pfn) |= PageFlags.Dirty;
        return true;
    }

    /// <summary>
    /// swap_writepage(): the folio's contents go to its slot. The copy is deferred to <see cref="DeleteFromCache"/>:
    /// while the folio stays in the swap cache, clean, it holds the same bytes, and a folio written to again is written
    /// again before it can leave (or its slot is freed).
    /// </summary>
    public void Write(int pfn) => phys.Flags(pfn) &= ~PageFlags.Dirty;

    /// <summary>swap_read_folio(): the slot's contents into the folio.</summary>
    public void Read(SwapEntry e, int pfn)
    {
        var dev = Device(e);
        if (dev.IsZero(e.Offset))
            phys.Data(pfn).Clear();
        else
            dev.Data(e.Offset).CopyTo(phys.Data(pfn));
    }

    /// <summary>A swap cache hit (swap_cache_get_folio() finding a readahead folio): counts for the next window.</summary>
    public void ReadaheadHit() => _raHits++;

    /// <summary>
    /// swapin_nr_pages(): how many slots swap_cluster_readahead() reads around <paramref name="offset"/>, after the
    /// kernel's heuristic: hits + 2, rounded up to a power of two from 4, at most 2^page-cluster, and not shrinking
    /// below half the last window; without hits, 1 unless the offset is next to the last one.
    /// </summary>
    public int ReadaheadPages(int offset)
    {
        int maxPages = 1 << PageCluster;
        if (maxPages <= 1)
            return 1;
        int hits = _raHits;
        _raHits = 0;
        int pages = hits + 2;
        if (pages == 2)
        {
            if (offset != _raPrevOffset + 1 && offset != _raPrevOffset - 1)
                pages = 1;
        }
        else
        {
            int roundup = 4;
            while (roundup < pages)
                roundup <<= 1;
            pages = roundup;
        }
        if (pages > maxPages)
            pages = maxPages;
        int lastRa = _raLastPages / 2;
        if (pages < lastRa)
            pages = lastRa;
        if (hits == 0)
            _raPrevOffset = offset;
        _raLastPages = pages;
        return pages;
    }
}

namespace MmSim.Mm.Swap;

/// <summary>swp_entry_t: a slot of a swap device. Slot 0 of every device is its header and is never handed out.</summary>
internal readonly record struct SwapEntry(int Type, int Offset)
{
    /// <summary>The entry as folio->swap keeps it; 0 is no entry (slot 0 is the header).</summary>
    public ulong Raw => ((ulong)Type << 32) | (uint)Offset;

    public static SwapEntry FromRaw(ulong raw) => new((int)(raw >> 32), (int)(uint)raw);

    /// <summary>pte_to_swp_entry().</summary>
    public static SwapEntry FromPte(Pte pte) => new(pte.SwpType, (int)pte.SwpOffset);

    public override string ToString() => $"swap {Type}:{Offset}";
}

/// <summary>
/// A swap device (struct swap_info_struct), as a swap file made with mkswap and turned on with swapon: its slots'
/// reference counts (swap_map, without the continuation pages: a count is an int), which slots the swap cache
/// holds (SWAP_HAS_CACHE) and with which folio, and the slots' contents as written by pageout.
/// </summary>
/// <remarks>
/// Slots are handed out in ascending order from a cursor that wraps, as the cluster allocator does on a fresh
/// device (slots 1, 2, 3, …); after frees the kernel's per-CPU clusters pick other slots, which nothing the
/// model shows depends on (pagemap's swap offset needs CAP_SYS_ADMIN). Contents take 4 KiB per slot written,
/// in chunks of 512 slots allocated on first use.
/// </remarks>
internal sealed class SwapDevice
{
    private const int ChunkShift = 9;
    private const int ChunkSlots = 1 << ChunkShift;

    private readonly int[] _count;
    // The swap cache's folio of each slot, pfn + 1 (0: not cached).
    private readonly int[] _cache;
    private readonly byte[]?[] _data;
    // si->zeromap: slots whose page was all zeros, written without I/O.
    private readonly System.Collections.BitArray _zero;
    private int _cursor = 1;

    public SwapDevice(int type, int priority, int pages)
    {
        Type = type;
        Priority = priority;
        Pages = pages;
        _count = new int[pages];
        _cache = new int[pages];
        _data = new byte[]?[(pages + ChunkSlots - 1) >> ChunkShift];
        _zero = new System.Collections.BitArray(pages);
    }

    /// <summary>Whether the slot holds a zero-filled page (the zeromap bit), which is neither written nor read.</summary>
    public bool IsZero(int offset) => _zero[offset];

    public void SetZero(int offset, bool zero) => _zero[offset] = zero;

    /// <summary>The device's index (swp_type).</summary>
    public int Type { get; }

    /// <summary>Its priority: swapon without a priority gives -2, -3, … in order; higher is used first.</summary>
    public int Priority { get; }

    /// <summary>Slots, the header included (si->max).</summary>
    public int Pages { get; }

    /// <summary>Slots in use: referenced or cached (si->inuse_pages).</summary>
    public int InUse { get; private set; }

    /// <summary>Slots that can be handed out (si->pages: all but the header).</summary>
    public int Usable => Pages - 1;

    public bool TryAlloc(out int offset)
    {
        if (InUse == Usable)
        {
            offset = 0;
            return false;
        }
        offset = _cursor;
        while (_count[offset] != 0 || _cache[offset] != 0)
            offset = offset + 1 == Pages ? 1 : offset + 1;
        _cursor = offset + 1 == Pages ? 1 : offset + 1;
        InUse++;
        return true;
    }

    /// <summary>References from page tables and shmem (the swap count, without SWAP_HAS_CACHE).</summary>
    public ref int Count(int offset) => ref _count[offset];

    /// <summary>The swap cache's folio for the slot, or -1.</summary>
    public int CachePfn(int offset) => _cache[offset] - 1;

    public void SetCache(int offset, int pfn) => _cache[offset] = pfn + 1;

    /// <summary>Whether the slot is allocated (in use by a reference or by the swap cache).</summary>
    public bool IsUsed(int offset) => offset > 0 && offset < Pages && (_count[offset] != 0 || _cache[offset] != 0);

    /// <summary>Frees the slot once nothing refers to it and the cache has let it go (swap_entries_free()).</summary>
    public bool FreeIfUnused(int offset)
    {
        if (_count[offset] != 0 || _cache[offset] != 0)
            return false;
        InUse--;
        return true;
    }

    /// <summary>The slot's contents, allocated (zeroed) on first use.</summary>
    public Span<byte> Data(int offset)
    {
        var chunk = _data[offset >> ChunkShift] ??= new byte[ChunkSlots * PhysicalMemory.PageSize];
        return chunk.AsSpan((offset & (ChunkSlots - 1)) << PhysicalMemory.PageShift, PhysicalMemory.PageSize);
    }
}

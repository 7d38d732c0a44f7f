using System.Runtime.CompilerServices;

namespace MmSim.Mm;

/// <summary>Frame flags, a small subset of struct page/folio flags (PG_*), as mm uses them.</summary>
[Flags]
internal enum PageFlags : ushort
{
    None = 0,
    /// <summary>Frame is in use (allocated and not yet freed).</summary>
    InUse = 1 << 0,
    /// <summary>Anonymous folio: Owner is its AnonVma (folio->mapping with PAGE_MAPPING_ANON).</summary>
    Anon = 1 << 1,
    /// <summary>PG_anon_exclusive: the folio is exclusive to one process and may be reused on a write fault without copying.</summary>
    AnonExclusive = 1 << 2,
    /// <summary>PG_swapbacked: shmem or anon.</summary>
    SwapBacked = 1 << 3,
    /// <summary>PG_dirty.</summary>
    Dirty = 1 << 4,
    /// <summary>PG_referenced.</summary>
    Referenced = 1 << 5,
    /// <summary>PG_uptodate.</summary>
    Uptodate = 1 << 6,
    /// <summary>PG_mlocked.</summary>
    Mlocked = 1 << 7,
    /// <summary>The shared zero page: never freed, never counted in RSS.</summary>
    Zero = 1 << 8,
    /// <summary>PG_swapcache: the folio is in the swap cache; <see cref="PhysicalMemory.SwapSlot"/> says which slot.</summary>
    SwapCache = 1 << 9,
    /// <summary>PG_active: on an active LRU list rather than an inactive one.</summary>
    Active = 1 << 10,
    /// <summary>PG_readahead: a swap-cache folio read ahead of need; the fault that finds it counts a readahead hit.</summary>
    Readahead = 1 << 11,
    /// <summary>PG_lru: on an LRU list (not isolated, not waiting in a CPU's folio batch).</summary>
    Lru = 1 << 12,
}

/// <summary>enum lru_list: the LRU lists, in the kernel's order (an active list is its inactive one plus one).</summary>
internal enum LruList : byte
{
    InactiveAnon,
    ActiveAnon,
    InactiveFile,
    ActiveFile,
    Unevictable,
}

internal static class LruLists
{
    public const int Count = 5;

    /// <summary>folio_lru_list(): unevictable when mlocked; else anon (swap-backed) or file, active or not.</summary>
    public static LruList For(PageFlags f)
    {
        if ((f & PageFlags.Mlocked) != 0)
            return LruList.Unevictable;
        var list = (f & PageFlags.SwapBacked) != 0 ? LruList.InactiveAnon : LruList.InactiveFile;
        return (f & PageFlags.Active) != 0 ? list + 1 : list;
    }

    public static bool IsFile(LruList list) => list is LruList.InactiveFile or LruList.ActiveFile;

    public static bool IsActive(LruList list) => list is LruList.ActiveAnon or LruList.ActiveFile;
}

/// <summary>
/// Simulated physical memory: page frames with refcount, mapcount, flags, rmap owner and index, and their
/// 4 KiB contents.
/// </summary>
/// <remarks>
/// Frames live in chunks of 512 (2 MiB of content plus parallel metadata arrays), allocated when a frame in
/// the chunk is first handed out, so RAM size costs nothing until used and a populated frame costs its
/// 4096 bytes plus about 45 bytes of metadata (counts, flags, rmap owner and index, swap slot, LRU links). Frame 0 is the shared zero page.
/// Allocation reuses the most recently freed frame first (like the per-CPU free lists), otherwise the lowest
/// never-used frame, so runs are deterministic.
/// </remarks>
internal sealed class PhysicalMemory
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;
    private const int ChunkShift = 9;
    private const int ChunkFrames = 1 << ChunkShift;
    private const int ChunkMask = ChunkFrames - 1;

    /// <summary>The shared zero page's frame number (ZERO_PAGE(0)).</summary>
    public const int ZeroPfn = 0;

    private sealed class Chunk
    {
        public readonly byte[] Data = GC.AllocateUninitializedArray<byte>(ChunkFrames * PageSize);
        public readonly int[] RefCount = new int[ChunkFrames];
        public readonly int[] MapCount = new int[ChunkFrames];
        public readonly PageFlags[] Flags = new PageFlags[ChunkFrames];
        /// <summary>folio->mapping: the AnonVma of an anon folio, the ShmemFile of a page-cache folio.</summary>
        public readonly object?[] Owner = new object?[ChunkFrames];
        /// <summary>folio->index: linear page index for anon, file page offset for shmem.</summary>
        public readonly ulong[] Index = new ulong[ChunkFrames];
        /// <summary>folio->swap: the swap slot of a folio in the swap cache (<see cref="Swap.SwapEntry.Raw"/>).</summary>
        public readonly ulong[] Swap = new ulong[ChunkFrames];
        /// <summary>folio->lru: the neighbours on its LRU list, towards the head (newer) and the tail (older).</summary>
        public readonly int[] LruNewer = new int[ChunkFrames];
        public readonly int[] LruOlder = new int[ChunkFrames];
        /// <summary>Which list the folio is on: 0 for none, else the <see cref="LruList"/> plus one.</summary>
        public readonly byte[] LruOn = new byte[ChunkFrames];
    }

    private readonly Chunk?[] _chunks;
    private int[] _freeStack = new int[64];
    private int _freeTop;
    private int _nextUnused;

    public PhysicalMemory(ulong ramBytes)
    {
        TotalFrames = (int)Math.Min(ramBytes >> PageShift, int.MaxValue - ChunkFrames);
        if (TotalFrames < 16)
            TotalFrames = 16;
        _chunks = new Chunk?[(TotalFrames + ChunkFrames - 1) >> ChunkShift];
        // Frame 0 is the zero page: reserved, always "in use", content all zeros.
        _nextUnused = 1;
        var c = ChunkFor(ZeroPfn);
        c.Data.AsSpan(0, PageSize).Clear();
        c.Flags[0] = PageFlags.InUse | PageFlags.Zero | PageFlags.Uptodate;
        c.RefCount[0] = 1;
        FreeFrames = TotalFrames - 1;
    }

    /// <summary>Frames of simulated RAM, including the zero page.</summary>
    public int TotalFrames { get; }

    /// <summary>Frames not allocated, neither to contents nor to page tables.</summary>
    public int FreeFrames { get; private set; }

    /// <summary>
    /// Frames holding page tables (NR_PAGETABLE: every mm's PGD and its PUD, PMD and PTE tables). The tables
    /// themselves are objects of <see cref="PageTables"/>; a frame is only charged for each, so that page tables
    /// come out of the simulated RAM as on Linux, and their host memory is bounded by it.
    /// </summary>
    public int PageTablePages { get; private set; }

    /// <summary>pagetable_alloc(): charges one frame to a page table. False when RAM is exhausted.</summary>
    public bool TryChargePageTable()
    {
        if (!WatermarkOk())
            return false;
        FreeFrames--;
        PageTablePages++;
        return true;
    }

    /// <summary>pagetable_free(): returns <paramref name="pages"/> page-table frames.</summary>
    public void UnchargePageTables(int pages)
    {
        FreeFrames += pages;
        PageTablePages -= pages;
    }

    /// <summary>Allocates a frame with refcount 1, mapcount 0 and zeroed contents (clear_page). False when RAM is exhausted.</summary>
    public bool TryAllocZeroed(out int pfn)
    {
        if (!TryAlloc(out pfn))
            return false;
        Data(pfn).Clear();
        return true;
    }

    /// <summary>Allocates a frame with refcount 1 and undefined contents (the caller overwrites it all, as copy_user_highpage does).</summary>
    public bool TryAlloc(out int pfn)
    {
        if (!WatermarkOk())
        {
            pfn = -1;
            return false;
        }
        if (_freeTop > 0)
        {
            pfn = _freeStack[--_freeTop];
        }
        else if (_nextUnused < TotalFrames)
        {
            pfn = _nextUnused++;
            // The free stack can hold every frame ever handed out: it grows with them, so freeing never allocates.
            if (_nextUnused > _freeStack.Length)
                Array.Resize(ref _freeStack, Math.Min(_freeStack.Length * 2, TotalFrames));
        }
        else
        {
            pfn = -1;
            return false;
        }
        var c = ChunkFor(pfn);
        int i = pfn & ChunkMask;
        c.RefCount[i] = 1;
        c.MapCount[i] = 0;
        c.Flags[i] = PageFlags.InUse;
        c.Owner[i] = null;
        c.Index[i] = 0;
        FreeFrames--;
        return true;
    }

    private void Free(int pfn)
    {
        var c = _chunks[pfn >> ChunkShift]!;
        int i = pfn & ChunkMask;
        // __folio_put(): a folio still on an LRU list leaves it as it is freed.
        if (c.LruOn[i] != 0)
            LruDel(pfn);
        c.Flags[i] = PageFlags.None;
        c.Owner[i] = null;
        _freeStack[_freeTop++] = pfn;
        FreeFrames++;
    }

    private Chunk ChunkFor(int pfn) => _chunks[pfn >> ChunkShift] ??= new Chunk();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Data(int pfn) =>
        _chunks[pfn >> ChunkShift]!.Data.AsSpan((pfn & ChunkMask) << PageShift, PageSize);

    public ref int RefCount(int pfn) => ref _chunks[pfn >> ChunkShift]!.RefCount[pfn & ChunkMask];

    public ref int MapCount(int pfn) => ref _chunks[pfn >> ChunkShift]!.MapCount[pfn & ChunkMask];

    public ref PageFlags Flags(int pfn) => ref _chunks[pfn >> ChunkShift]!.Flags[pfn & ChunkMask];

    public ref object? Owner(int pfn) => ref _chunks[pfn >> ChunkShift]!.Owner[pfn & ChunkMask];

    public ref ulong Index(int pfn) => ref _chunks[pfn >> ChunkShift]!.Index[pfn & ChunkMask];

    /// <summary>folio->swap of a folio in the swap cache.</summary>
    public ref ulong SwapSlot(int pfn) => ref _chunks[pfn >> ChunkShift]!.Swap[pfn & ChunkMask];

    public bool IsZero(int pfn) => pfn == ZeroPfn;

    public bool IsAllocated(int pfn) =>
        pfn >= 0 && pfn < TotalFrames && _chunks[pfn >> ChunkShift] is { } c && (c.Flags[pfn & ChunkMask] & PageFlags.InUse) != 0;

    /// <summary>get_page().</summary>
    public void Get(int pfn) => RefCount(pfn)++;

    /// <summary>put_page(): frees the frame when the last reference goes.</summary>
    public void Put(int pfn)
    {
        if (pfn == ZeroPfn)
            return;
        ref int rc = ref RefCount(pfn);
        if (--rc == 0)
            Free(pfn);
    }

    // ---- Watermarks (mm/page_alloc.c __setup_per_zone_wmarks()) ----

    private int _allowMin;

    /// <summary>WMARK_MIN in frames: what only the allocator's slow path (and the OOM victim) may dig into.</summary>
    public int WmarkMin { get; private set; }

    /// <summary>WMARK_LOW: an allocation that would leave this few free takes the slow path and wakes kswapd.</summary>
    public int WmarkLow { get; private set; }

    /// <summary>WMARK_HIGH: kswapd reclaims until more than this many frames are free.</summary>
    public int WmarkHigh { get; private set; }

    /// <summary>
    /// The default vm.min_free_kbytes for this much RAM (calculate_min_free_kbytes()): the square root of 16 times
    /// the RAM in KiB, between 128 KiB and 256 MiB.
    /// </summary>
    public long DefaultMinFreeKbytes => Math.Clamp((long)Math.Sqrt((double)TotalFrames * 4 * 16), 128, 262144);

    /// <summary>
    /// __setup_per_zone_wmarks() for one zone holding all of RAM: min from vm.min_free_kbytes; low and high a step of
    /// max(min/4, RAM × vm.watermark_scale_factor / 10000) above it.
    /// </summary>
    public void SetWatermarks(long minFreeKbytes, int scaleFactor)
    {
        long min = Math.Min(minFreeKbytes >> (PageShift - 10), TotalFrames / 2);
        long step = Math.Max(min >> 2, (long)TotalFrames * scaleFactor / 10000);
        WmarkMin = (int)min;
        WmarkLow = (int)Math.Min(min + step, TotalFrames / 2);
        WmarkHigh = (int)Math.Min(min + 2 * step, TotalFrames / 2);
    }

    /// <summary>
    /// ALLOC_WMARK_MIN for the next <paramref name="allocations"/> allocations (0 cancels what is left): the slow
    /// path's retry after kswapd or reclaim ran, or the page tables mremap() reserved.
    /// </summary>
    public void AllowMinWatermark(int allocations = 1) => _allowMin = allocations;

    /// <summary>zone_watermark_ok() for one frame: more than the watermark must be free (low, or min once allowed).</summary>
    private bool WatermarkOk()
    {
        if (_allowMin == 0)
            return FreeFrames > WmarkLow;
        if (FreeFrames > WmarkMin)
        {
            _allowMin--;
            return true;
        }
        _allowMin = 0;
        return false;
    }

    // ---- LRU lists (struct lruvec: one node, one memory cgroup) ----

    private readonly int[] _lruNewest = [-1, -1, -1, -1, -1];
    private readonly int[] _lruOldest = [-1, -1, -1, -1, -1];
    private readonly long[] _lruSize = new long[LruLists.Count];

    /// <summary>Folios on the list (lruvec_lru_size()).</summary>
    public long LruSize(LruList list) => _lruSize[(int)list];

    /// <summary>The list's oldest folio, its tail, where reclaim isolates from; -1 when empty.</summary>
    public int LruOldest(LruList list) => _lruOldest[(int)list];

    /// <summary>The list's newest folio, its head; -1 when empty.</summary>
    public int LruNewest(LruList list) => _lruNewest[(int)list];

    /// <summary>The next newer folio on the same list, or -1.</summary>
    public int LruNewer(int pfn) => _chunks[pfn >> ChunkShift]!.LruNewer[pfn & ChunkMask];

    /// <summary>The next older folio on the same list, or -1.</summary>
    public int LruOlder(int pfn) => _chunks[pfn >> ChunkShift]!.LruOlder[pfn & ChunkMask];

    /// <summary>The list the folio is on, or false when it is not on one (PG_lru clear).</summary>
    public bool TryGetLru(int pfn, out LruList list)
    {
        byte on = _chunks[pfn >> ChunkShift]!.LruOn[pfn & ChunkMask];
        list = (LruList)(on - 1);
        return on != 0;
    }

    /// <summary>lruvec_add_folio() (at the head, the newest end) or lruvec_add_folio_tail(); sets PG_lru.</summary>
    public void LruAdd(int pfn, LruList list, bool tail = false)
    {
        var c = _chunks[pfn >> ChunkShift]!;
        int i = pfn & ChunkMask;
        if (c.LruOn[i] != 0)
            throw new InvariantViolationException($"frame {pfn} added to the {list} list while on another");
        int l = (int)list;
        c.LruOn[i] = (byte)(l + 1);
        c.Flags[i] |= PageFlags.Lru;
        if (tail)
        {
            c.LruNewer[i] = _lruOldest[l];
            c.LruOlder[i] = -1;
            if (_lruOldest[l] >= 0)
                SetOlder(_lruOldest[l], pfn);
            else
                _lruNewest[l] = pfn;
            _lruOldest[l] = pfn;
        }
        else
        {
            c.LruOlder[i] = _lruNewest[l];
            c.LruNewer[i] = -1;
            if (_lruNewest[l] >= 0)
                SetNewer(_lruNewest[l], pfn);
            else
                _lruOldest[l] = pfn;
            _lruNewest[l] = pfn;
        }
        _lruSize[l]++;
    }

    /// <summary>lruvec_del_folio() and folio_clear_lru(): the folio leaves its list.</summary>
    public void LruDel(int pfn)
    {
        var c = _chunks[pfn >> ChunkShift]!;
        int i = pfn & ChunkMask;
        int l = c.LruOn[i] - 1;
        if (l < 0)
            throw new InvariantViolationException($"frame {pfn} taken off an LRU list it is not on");
        int newer = c.LruNewer[i], older = c.LruOlder[i];
        if (newer >= 0)
            SetOlder(newer, older);
        else
            _lruNewest[l] = older;
        if (older >= 0)
            SetNewer(older, newer);
        else
            _lruOldest[l] = newer;
        c.LruOn[i] = 0;
        c.Flags[i] &= ~PageFlags.Lru;
        _lruSize[l]--;
    }

    private void SetNewer(int pfn, int newer) => _chunks[pfn >> ChunkShift]!.LruNewer[pfn & ChunkMask] = newer;

    private void SetOlder(int pfn, int older) => _chunks[pfn >> ChunkShift]!.LruOlder[pfn & ChunkMask] = older;

    /// <summary>Frame numbers ever handed out, for Validate(): [1, HighWater).</summary>
    public int HighWater => _nextUnused;
}

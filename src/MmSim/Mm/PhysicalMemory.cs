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

/// <summary>
/// Simulated physical memory: page frames with refcount, mapcount, flags, rmap owner and index, and their
/// 4 KiB contents.
/// </summary>
/// <remarks>
/// Frames live in chunks of 512 (2 MiB of content plus parallel metadata arrays), allocated when a frame in
/// the chunk is first handed out, so RAM size costs nothing until used and a populated frame costs its
/// 4096 bytes plus about 36 bytes of metadata. Frame 0 is the shared zero page.
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
        if (FreeFrames == 0)
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
        if (FreeFrames == 0)
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
        c.Flags[i] = PageFlags.None;
        c.Owner[i] = null;
        if (_freeTop == _freeStack.Length)
            Array.Resize(ref _freeStack, _freeStack.Length * 2);
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

    /// <summary>Frame numbers ever handed out, for Validate(): [1, HighWater).</summary>
    public int HighWater => _nextUnused;
}

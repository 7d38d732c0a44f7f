namespace MmSim.Mm;

/// <summary>
/// A shmem inode with its page cache: the file behind memfd_create() and shared anonymous mappings
/// (shmem_zero_setup names it "/dev/zero (deleted)"). Pages hold one reference for the cache and one per mapping.
/// </summary>
internal sealed class ShmemFile
{
    private const int ChunkShift = 9;
    private const int ChunkSize = 1 << ChunkShift;
    /// <summary>Pages per chunk of the cache: the span <see cref="ChunkOf"/> returns covers this many indices.</summary>
    public const int ChunkPages = ChunkSize;
    // Page cache as a sparse two-level array: chunk index -> 512 slots of pfn + 1 (0 = hole).
    private readonly Dictionary<ulong, int[]> _cache = [];

    public ShmemFile(ulong inode, string name, long size, bool isMemfd)
    {
        Inode = inode;
        Name = name;
        Size = size;
        IsMemfd = isMemfd;
    }

    public ulong Inode { get; }
    /// <summary>The name /proc shows: "/memfd:NAME (deleted)" or "/dev/zero (deleted)".</summary>
    public string Name { get; }
    /// <summary>i_size in bytes.</summary>
    public long Size { get; set; }
    public bool IsMemfd { get; }
    /// <summary>Pages in the page cache (nrpages).</summary>
    public long NrPages { get; private set; }
    /// <summary>Open file descriptions plus mappings referring to this file (f_count-like); freed when it drops to 0.</summary>
    public int Users { get; set; }
    /// <summary>Pages this file has charged to vm_committed_as (shmem_acct_size/shmem_acct_blocks).</summary>
    public long AccountedPages { get; set; }

    /// <summary>The frame caching page index, or -1.</summary>
    /// <summary>
    /// The cache slots of the 512-page chunk holding <paramref name="index"/> (pfn + 1, 0 for a hole), or an empty
    /// span when the chunk has no page: for walks that look up neighbouring indices.
    /// </summary>
    public ReadOnlySpan<int> ChunkOf(ulong index) =>
        _cache.TryGetValue(index >> ChunkShift, out var chunk) ? chunk : [];

    public int Find(ulong index)
    {
        return _cache.TryGetValue(index >> ChunkShift, out var chunk) ? chunk[(int)(index & (ChunkSize - 1))] - 1 : -1;
    }

    public void Add(ulong index, int pfn)
    {
        if (!_cache.TryGetValue(index >> ChunkShift, out var chunk))
            _cache[index >> ChunkShift] = chunk = new int[ChunkSize];
        chunk[(int)(index & (ChunkSize - 1))] = pfn + 1;
        NrPages++;
    }

    public void Remove(ulong index)
    {
        var chunk = _cache[index >> ChunkShift];
        chunk[(int)(index & (ChunkSize - 1))] = 0;
        NrPages--;
    }

    // Pages swapped out: the swap entry that replaced each in the page cache (an xarray value entry in the kernel),
    // as the cache's sparse two-level array of raw entries (0: none; offset 0 is a swap header, never an entry). Once
    // a chunk exists, swapping pages in and out of it allocates nothing.
    private readonly Dictionary<ulong, ulong[]> _swap = [];

    /// <summary>Pages swapped out (info->swapped).</summary>
    public long Swapped { get; private set; }

    /// <summary>The swap entry holding page <paramref name="index"/>, if it is swapped out.</summary>
    public bool TryGetSwap(ulong index, out Swap.SwapEntry entry)
    {
        ulong raw = _swap.TryGetValue(index >> ChunkShift, out var chunk) ? chunk[(int)(index & (ChunkSize - 1))] : 0;
        entry = Swap.SwapEntry.FromRaw(raw);
        return raw != 0;
    }

    public void SetSwap(ulong index, Swap.SwapEntry entry)
    {
        if (!_swap.TryGetValue(index >> ChunkShift, out var chunk))
            _swap[index >> ChunkShift] = chunk = new ulong[ChunkSize];
        ref ulong slot = ref chunk[(int)(index & (ChunkSize - 1))];
        if (slot != 0)
            throw new InvariantViolationException($"{Name} index {index} swapped out twice");
        slot = entry.Raw;
        Swapped++;
    }

    public void RemoveSwap(ulong index)
    {
        if (_swap.TryGetValue(index >> ChunkShift, out var chunk) && chunk[(int)(index & (ChunkSize - 1))] != 0)
        {
            chunk[(int)(index & (ChunkSize - 1))] = 0;
            Swapped--;
        }
    }

    /// <summary>shmem_partial_swap_usage(): the pages of [from, to) that are swapped out.</summary>
    public long SwappedIn(ulong from, ulong to) => Swapped == 0 ? 0 : SwapBetween(from, to).Count;

    /// <summary>Swapped-out (index, entry) pairs with index in [from, to), in index order.</summary>
    public List<(ulong Index, Swap.SwapEntry Entry)> SwapBetween(ulong from, ulong to)
    {
        var list = new List<(ulong Index, Swap.SwapEntry Entry)>();
        if (Swapped == 0 || from >= to)
            return list;
        foreach (var (key, chunk) in _swap)
        {
            ulong first = key << ChunkShift;
            if (first >= to || first + ChunkSize <= from)
                continue;
            for (int i = 0; i < ChunkSize; i++)
            {
                ulong index = first + (ulong)i;
                if (chunk[i] != 0 && index >= from && index < to)
                    list.Add((index, Swap.SwapEntry.FromRaw(chunk[i])));
            }
        }
        list.Sort((a, b) => a.Index.CompareTo(b.Index));
        return list;
    }

    /// <summary>Cached (index, pfn) pairs with index &gt;= from, in no particular order.</summary>
    public List<(ulong Index, int Pfn)> PagesFrom(ulong from)
    {
        var list = new List<(ulong, int)>();
        foreach (var (key, chunk) in _cache)
        {
            for (int i = 0; i < ChunkSize; i++)
            {
                ulong index = (key << ChunkShift) + (ulong)i;
                if (chunk[i] != 0 && index >= from)
                    list.Add((index, chunk[i] - 1));
            }
        }
        return list;
    }
}

/// <summary>
/// An open file description (struct file): the fd table points at these (dup and fork share one). It is a shmem
/// file (memfd), a userfaultfd or a pidfd.
/// </summary>
internal sealed class OpenFile
{
    public OpenFile(ShmemFile file) => File = file;

    public OpenFile(Fs.PidfdFile pidfd, int statusFlags)
    {
        Pidfd = pidfd;
        StatusFlags = statusFlags;
    }

    /// <summary>The process (or thread) a pidfd refers to, or null for other files.</summary>
    public Fs.PidfdFile? Pidfd { get; }

    public OpenFile(Userfaultfd.UserfaultfdCtx ctx, int statusFlags)
    {
        Uffd = ctx;
        StatusFlags = statusFlags;
    }

    /// <summary>The shmem inode, or null for a userfaultfd.</summary>
    public ShmemFile? File { get; }

    /// <summary>The userfaultfd context (file->private_data), or null for a shmem file.</summary>
    public Userfaultfd.UserfaultfdCtx? Uffd { get; }

    /// <summary>f_flags that matter: O_NONBLOCK.</summary>
    public int StatusFlags { get; }

    public int RefCount { get; set; } = 1;
}

using MmSim.Collections;

namespace MmSim.Mm;

/// <summary>
/// struct vm_area_struct. Invariants (held between syscalls, checked by Validate):
/// Start &lt; End, both page-aligned; VMAs of one mm never overlap; AnonVma is non-null iff Chain is non-empty,
/// and AnonVma is one of the chain's anon_vmas.
/// </summary>
internal sealed class Vma : IRangeItem
{
    public Vma(MmStruct mm, ulong start, ulong end, VmFlags flags, ulong pgoff, ShmemFile? file)
    {
        Mm = mm;
        Start = start;
        End = end;
        Flags = flags;
        PgOff = pgoff;
        File = file;
    }

    public MmStruct Mm { get; }
    public ulong Start { get; set; }
    public ulong End { get; set; }
    public VmFlags Flags { get; set; }
    /// <summary>vm_pgoff: the file page offset of Start, or for private anonymous memory Start &gt;&gt; PAGE_SHIFT at creation.</summary>
    public ulong PgOff { get; set; }
    /// <summary>vm_file: the shmem file behind a shared anonymous, memfd or private memfd mapping; null for anonymous memory.</summary>
    public ShmemFile? File { get; set; }
    /// <summary>
    /// vm_userfaultfd_ctx: the userfaultfd this VMA is registered with (its VmFlags carry the modes), or null.
    /// Two VMAs merge only when they have the same one.
    /// </summary>
    public Userfaultfd.UserfaultfdCtx? UffdCtx { get; set; }
    /// <summary>The anon_vma new anonymous pages of this VMA go to; null until the first anonymous page is needed.</summary>
    public AnonVma? AnonVma { get; set; }
    /// <summary>vma->anon_vma_chain: newest first, so the root's chain is last (as list_add on same_vma makes it).</summary>
    public List<AnonVmaChain> Chain { get; } = new(1);
    /// <summary>Slot for RangeTree bookkeeping.</summary>
    public object? TreeNode { get; set; }

    public ulong Pages => (End - Start) >> 12;
    public bool IsAnonymous => File is null;
    public bool IsShared => (Flags & VmFlags.Shared) != 0;

    /// <summary>is_cow_mapping(): private and may become writable.</summary>
    public bool IsCowMapping => (Flags & (VmFlags.Shared | VmFlags.MayWrite)) == VmFlags.MayWrite;

    /// <summary>linear_page_index().</summary>
    public ulong LinearPageIndex(ulong addr) => PgOff + ((addr - Start) >> 12);

    public override string ToString() => $"{Start:x}-{End:x} {Flags} pgoff={PgOff:x}";
}

/// <summary>
/// struct anon_vma: where anonymous pages of a family of VMAs (a VMA, its fork children, its split pieces)
/// are found by rmap. Root/Parent/NumChildren/NumActiveVmas follow mm/rmap.c exactly, because anon_vma reuse
/// on fork and merge decisions depend on them.
/// </summary>
internal sealed class AnonVma
{
    private static long s_nextId;

    public AnonVma()
    {
        Root = this;
        Parent = this;
        Id = Interlocked.Increment(ref s_nextId);
    }

    public long Id { get; }
    public AnonVma Root { get; set; }
    public AnonVma Parent { get; set; }
    /// <summary>Child anon_vmas, plus one for the self-parent link of a root.</summary>
    public int NumChildren { get; set; }
    /// <summary>VMAs whose AnonVma points here.</summary>
    public int NumActiveVmas { get; set; }
    /// <summary>The anon_vma's interval tree of chains (rb_root); a list is enough at this scale.</summary>
    public List<AnonVmaChain> Chains { get; } = new(1);

    public override string ToString() => $"anon_vma#{Id}";
}

/// <summary>struct anon_vma_chain: links a VMA to one anon_vma of its family.</summary>
internal sealed class AnonVmaChain(Vma vma, AnonVma anonVma)
{
    public Vma Vma { get; } = vma;
    public AnonVma AnonVma { get; } = anonVma;
}

namespace MmSim.Mm;

// anon_vma management, mirroring mm/rmap.c. The bookkeeping (root, parent, num_children, num_active_vmas)
// is kept exactly because anon_vma reuse at fork and VMA merge decisions read it.
internal static class Rmap
{
    private static void Link(Vma vma, AnonVma anonVma)
    {
        var avc = new AnonVmaChain(vma, anonVma);
        vma.Chain.Insert(0, avc); // list_add(&avc->same_vma, &vma->anon_vma_chain): newest first
        anonVma.Chains.Add(avc);
    }

    /// <summary>
    /// __anon_vma_prepare(): give the VMA an anon_vma before its first anonymous page, reusing a compatible
    /// neighbour's (find_mergeable_anon_vma) so that VMAs split by mprotect can merge again.
    /// </summary>
    public static AnonVma Prepare(Vma vma)
    {
        if (vma.AnonVma is { } existing)
            return existing;
        var anonVma = FindMergeable(vma);
        if (anonVma is null)
        {
            anonVma = new AnonVma();
            anonVma.NumChildren++; // self-parent link for new root
        }
        vma.AnonVma = anonVma;
        Link(vma, anonVma);
        anonVma.NumActiveVmas++;
        return anonVma;
    }

    /// <summary>find_mergeable_anon_vma(): try next, then prev.</summary>
    private static AnonVma? FindMergeable(Vma vma)
    {
        var tree = vma.Mm.Vmas;
        if (tree.Next(vma) is { } next && ReusableAnonVma(next, vma, next) is { } a)
            return a;
        if (tree.Prev(vma) is { } prev)
            return ReusableAnonVma(prev, prev, vma);
        return null;
    }

    /// <summary>reusable_anon_vma(): old's anon_vma, if a and b could be one VMA and old was never forked.</summary>
    private static AnonVma? ReusableAnonVma(Vma old, Vma a, Vma b)
    {
        if (AnonVmaCompatible(a, b) && old.AnonVma is { } anonVma && old.Chain.Count == 1)
            return anonVma;
        return null;
    }

    /// <summary>
    /// anon_vma_compatible(): adjacent, same file, flags equal but for access bits and the sticky ones (VM_IGNORE_MERGE:
    /// a VMA beside one with guards shares its anon_vma; found by fuzz, seed 14192), pgoff contiguous.
    /// </summary>
    private static bool AnonVmaCompatible(Vma a, Vma b) =>
        a.End == b.Start
        && a.File == b.File
        && ((a.Flags ^ b.Flags) & ~(VmFlags.AccessFlags | VmFlags.Sticky)) == 0
        && b.PgOff == a.PgOff + ((b.Start - a.Start) >> 12);

    /// <summary>
    /// anon_vma_clone(): attach dst to every anon_vma src is attached to. On fork (<paramref name="tryReuse"/>),
    /// an anon_vma with no VMA and at most one child is reused as dst's own, so long fork chains do not grow them.
    /// Preconditions: dst.Chain is empty; dst.AnonVma is src.AnonVma for a split/merge, null for fork.
    /// </summary>
    public static void Clone(Vma dst, Vma src, bool tryReuse)
    {
        // Walk oldest first (list_for_each_entry_reverse) so the chain order ends up the same as src's.
        for (int i = src.Chain.Count - 1; i >= 0; i--)
        {
            var anonVma = src.Chain[i].AnonVma;
            Link(dst, anonVma);
            if (tryReuse && dst.AnonVma is null && src.AnonVma is not null
                && anonVma.NumChildren < 2 && anonVma.NumActiveVmas == 0)
                dst.AnonVma = anonVma;
        }
        if (dst.AnonVma is not null)
            dst.AnonVma.NumActiveVmas++;
    }

    /// <summary>anon_vma_fork(): the child VMA joins the parent's anon_vmas and gets its own for new COW pages.</summary>
    public static void Fork(Vma child, Vma parent)
    {
        if (parent.AnonVma is null)
            return;
        child.AnonVma = null;
        Clone(child, parent, tryReuse: true);
        if (child.AnonVma is not null)
            return;
        var anonVma = new AnonVma
        {
            Root = parent.AnonVma.Root,
            Parent = parent.AnonVma,
        };
        anonVma.NumActiveVmas++;
        child.AnonVma = anonVma;
        Link(child, anonVma);
        anonVma.Parent.NumChildren++;
    }

    /// <summary>unlink_anon_vmas(): detach the VMA; anon_vmas left with no chains are freed.</summary>
    public static void Unlink(Vma vma)
    {
        foreach (var avc in vma.Chain)
        {
            var anonVma = avc.AnonVma;
            anonVma.Chains.Remove(avc);
            if (anonVma.Chains.Count == 0)
                anonVma.Parent.NumChildren--;
        }
        if (vma.AnonVma is not null)
            vma.AnonVma.NumActiveVmas--;
        vma.AnonVma = null;
        vma.Chain.Clear();
    }
}

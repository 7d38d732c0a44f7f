namespace MmSim.Mm;

/// <summary>What a merge attempt ended as (enum vma_merge_state).</summary>
internal enum MergeState
{
    Start,
    NoMerge,
    Success,
}

/// <summary>
/// struct vma_merge_struct: one merge attempt, threaded through the mm/vma.c pipeline.
/// The first group of fields is what the caller provides; the second is the merge's working state.
/// </summary>
internal sealed class MergeRequest
{
    // user-provided
    public Vma? Prev;
    public Vma? Middle;
    public Vma? Next;
    public ulong Start;
    public ulong End;
    public ulong PgOff;
    public VmFlags Flags;
    public ShmemFile? File;
    public AnonVma? AnonVma;
    /// <summary>vmg->uffd_ctx: the userfaultfd the range is (to be) registered with.</summary>
    public Userfaultfd.UserfaultfdCtx? UffdCtx;
    /// <summary>mremap: the VMA the new range is copied from.</summary>
    public Vma? CopiedFrom;
    /// <summary>Only try to expand Prev; never merge Next.</summary>
    public bool JustExpand;

    // internal
    public Vma? Target;
    public MergeState State = MergeState.Start;
    public bool RemoveMiddle;
    public bool RemoveNext;
    public bool AdjustMiddleStart;
    public bool AdjustNextStart;
}

// VMA merge and split, mirroring mm/vma.c.
internal sealed partial class MmStruct
{
    /// <summary>
    /// Whether Linux would have merged these two adjacent VMAs had a call made them so: the merge rules of
    /// is_mergeable_vma() and is_mergeable_anon_vma() applied to an existing pair. For Validate().
    /// </summary>
    public static bool WouldMerge(Vma prev, Vma next)
    {
        if (prev.End != next.Start || ((prev.Flags ^ next.Flags) & ~VmFlags.Sticky) != 0 || prev.File != next.File
            || prev.UffdCtx != next.UffdCtx)
            return false;
        if ((prev.Flags & VmFlags.Special) != 0 || prev.PgOff + prev.Pages != next.PgOff)
            return false;
        if (prev.AnonVma == next.AnonVma)
            return true;
        if (prev.AnonVma is not null && next.AnonVma is not null)
            return false;
        return !IsForkChild(prev.AnonVma is not null ? prev : next);
    }

    /// <summary>vma_is_fork_child(): an anon_vma chain longer than one means the VMA came from fork.</summary>
    private static bool IsForkChild(Vma? vma) => vma?.AnonVma is not null && vma.Chain.Count != 1;

    /// <summary>is_mergeable_vma(): flags (ignoring the sticky ones, VM_IGNORE_MERGE), file and userfaultfd context equal.</summary>
    private static bool IsMergeableVma(MergeRequest m, Vma vma) =>
        ((vma.Flags ^ m.Flags) & ~VmFlags.Sticky) == 0 && vma.File == m.File && vma.UffdCtx == m.UffdCtx;

    /// <summary>is_mergeable_anon_vma().</summary>
    private static bool IsMergeableAnonVma(MergeRequest m, Vma tgt)
    {
        var tgtAnon = tgt.AnonVma;
        var srcAnon = m.AnonVma;
        // Case 1: we will dup_anon_vma() from src into tgt.
        if (tgtAnon is null && srcAnon is not null)
            return !IsForkChild(m.Middle) && !IsForkChild(m.CopiedFrom);
        // Case 2: we will simply use tgt's anon_vma.
        if (tgtAnon is not null && srcAnon is null)
            return !IsForkChild(tgt);
        // Case 3: the anon_vmas are already shared.
        return srcAnon == tgtAnon;
    }

    /// <summary>can_vma_merge_before(): merge with next.</summary>
    private static bool CanMergeBefore(MergeRequest m) =>
        IsMergeableVma(m, m.Next!) && IsMergeableAnonVma(m, m.Next!)
        && m.Next!.PgOff == m.PgOff + ((m.End - m.Start) >> PageShift);

    /// <summary>can_vma_merge_after(): merge with prev.</summary>
    private static bool CanMergeAfter(MergeRequest m) =>
        IsMergeableVma(m, m.Prev!) && IsMergeableAnonVma(m, m.Prev!)
        && m.Prev!.PgOff + m.Prev.Pages == m.PgOff;

    private static bool CanMergeLeft(MergeRequest m) => m.Prev is not null && m.Prev.End == m.Start && CanMergeAfter(m);

    private static bool CanMergeRight(MergeRequest m, bool canMergeLeft)
    {
        var next = m.Next;
        if (next is null || m.End != next.Start || !CanMergeBefore(m))
            return false;
        if (!canMergeLeft)
            return true;
        // Mergeable with each side does not make prev and next compatible with each other.
        var prev = m.Prev!;
        return prev.AnonVma is null || next.AnonVma is null || prev.AnonVma == next.AnonVma;
    }

    /// <summary>dup_anon_vma(): the merged range must stay reachable from the source's anon_vmas.</summary>
    private static void DupAnonVma(Vma dst, Vma src)
    {
        if (src.AnonVma is not null && dst.AnonVma is null)
        {
            dst.AnonVma = src.AnonVma;
            Rmap.Clone(dst, src, tryReuse: false);
        }
    }

    /// <summary>commit_merge(): apply the range changes a merge decided, then free removed VMAs.</summary>
    private void CommitMerge(MergeRequest m)
    {
        var removed1 = m.RemoveMiddle ? m.Middle : null;
        var removed2 = m.RemoveNext ? m.Next : null;
        if (removed1 is not null)
            Vmas.Remove(removed1);
        if (removed2 is not null)
            Vmas.Remove(removed2);

        if (m.AdjustNextStart)
        {
            //   |***middle***|---next---|   middle shrinks to [start, end), next grows down to end
            var middle = m.Middle!;
            var next = m.Next!;
            SetRange(middle, m.Start, m.End, m.PgOff);
            SetRange(next, m.End, next.End, next.PgOff - ((next.Start - m.End) >> PageShift));
        }
        else
        {
            if (m.AdjustMiddleStart)
            {
                //   |---prev---|***middle***|   middle's start moves up to end, prev grows to end
                var middle = m.Middle!;
                SetRange(middle, m.End, middle.End, middle.PgOff + ((m.End - middle.Start) >> PageShift));
            }
            SetRange(m.Target!, m.Start, m.End, m.PgOff);
        }
        // The merged VMA has every sticky flag of what it absorbed.
        m.Target!.Flags |= (m.Flags | (removed1?.Flags ?? 0) | (removed2?.Flags ?? 0)) & VmFlags.Sticky;

        foreach (var gone in (ReadOnlySpan<Vma?>)[removed1, removed2])
        {
            if (gone is null)
                continue;
            if (gone.AnonVma is not null || gone.Chain.Count > 0)
                Rmap.Unlink(gone);
            if (gone.File is not null)
                Kernel.PutFile(gone.File);
        }
    }

    /// <summary>
    /// vma_merge_new_range(): a new range [Start, End) between Prev and Next is about to be mapped; extend a
    /// neighbour (or both) to cover it instead of creating a VMA.
    /// <code>
    /// Proposed:       |-----|  or  |-----|        or       |-----|
    /// Existing:  |----|                  |----|       |----|     |----|
    /// </code>
    /// </summary>
    public Vma? MergeNewRange(MergeRequest m)
    {
        var prev = m.Prev;
        var next = m.Next;
        ulong end = m.End;
        m.State = MergeState.NoMerge;
        if ((m.Flags & VmFlags.Special) != 0 || (prev is null && next is null))
            return null;

        bool canMergeLeft = CanMergeLeft(m);
        bool canMergeRight = !m.JustExpand && CanMergeRight(m, canMergeLeft);
        if (canMergeRight)
        {
            m.End = next!.End;
            m.Target = next;
        }
        if (canMergeLeft)
        {
            m.Start = prev!.Start;
            m.Target = prev;
            m.PgOff = prev.PgOff;
        }
        if (m.Target is null)
            return null;

        // vma_expand(): when both sides merge, next is removed and its anon_vma carried over.
        if (next is not null && m.Target != next && m.End == next.End)
        {
            m.RemoveNext = true;
            DupAnonVma(m.Target, next);
        }
        // A copy (mremap) brings its source's anon_vma to an unfaulted target.
        if (m.CopiedFrom is not null)
            DupAnonVma(m.Target, m.CopiedFrom);
        _ = end;
        CommitMerge(m);
        m.State = MergeState.Success;
        return m.Target;
    }

    /// <summary>
    /// vma_merge_existing_range(): the attributes of [Start, End) inside Middle change to Flags; merge with
    /// Prev and/or Next where they would become identical.
    /// Preconditions: Middle is set; Prev is Middle's predecessor; Next is not set.
    /// </summary>
    public Vma? MergeExistingRange(MergeRequest m)
    {
        var middle = m.Middle!;
        var prev = m.Prev;
        ulong start = m.Start;
        ulong end = m.End;
        bool leftSide = start == middle.Start;
        bool rightSide = end == middle.End;
        m.State = MergeState.NoMerge;

        if ((m.Flags & VmFlags.Special) != 0 || (!leftSide && !rightSide))
            return null;

        bool mergeLeft = leftSide && CanMergeLeft(m);
        bool mergeRight = false;
        Vma? next = null;
        if (rightSide)
        {
            next = m.Next = Vmas.Next(middle);
            mergeRight = CanMergeRight(m, mergeLeft);
        }
        if (!mergeLeft && !mergeRight)
            return null;

        bool mergeBoth = mergeLeft && mergeRight;
        m.RemoveMiddle = leftSide && rightSide;
        m.RemoveNext = mergeBoth;
        if (mergeRight)
            m.Target = next;
        if (mergeLeft)
            m.Target = prev;

        if (mergeBoth)
        {
            //   |<-------------------->|
            //   |-------********-------|
            //     prev   middle   next
            //    extend  delete  delete
            m.Start = prev!.Start;
            m.End = next!.End;
            m.PgOff = prev.PgOff;
            DupAnonVma(prev, next.AnonVma is not null ? next : middle);
        }
        else if (mergeLeft)
        {
            //   |<------------>|      OR
            //   |<----------------->|
            //   |-------*************
            //     prev     middle
            //    extend shrink/delete
            m.Start = prev!.Start;
            m.PgOff = prev.PgOff;
            if (!m.RemoveMiddle)
                m.AdjustMiddleStart = true;
            DupAnonVma(prev, middle);
        }
        else
        {
            //       |<------------->| OR
            //   |<----------------->|
            //   *************-------|
            //      middle     next
            //   shrink/delete extend
            ulong pglen = (m.End - m.Start) >> PageShift;
            if (m.RemoveMiddle)
            {
                m.End = next!.End;
                m.PgOff = next.PgOff - pglen;
            }
            else
            {
                m.AdjustNextStart = true;
                m.Start = middle.Start;
                m.End = start;
                m.PgOff = middle.PgOff;
            }
            DupAnonVma(next!, middle);
        }

        CommitMerge(m);
        m.State = MergeState.Success;
        return m.Target;
    }

    /// <summary>
    /// __split_vma(): cut vma at addr. With <paramref name="newBelow"/> the new VMA is the lower part, otherwise
    /// the upper part; the new VMA is returned. No map_count check (split_vma() does that).
    /// </summary>
    public Vma SplitVma(Vma vma, ulong addr, bool newBelow)
    {
        var created = new Vma(this, vma.Start, vma.End, vma.Flags, vma.PgOff, vma.File) { AnonVma = vma.AnonVma, UffdCtx = vma.UffdCtx };
        if (newBelow)
        {
            created.End = addr;
        }
        else
        {
            created.Start = addr;
            created.PgOff += (addr - vma.Start) >> PageShift;
        }
        Rmap.Clone(created, vma, tryReuse: false);
        if (created.File is not null)
            created.File.Users++;

        if (newBelow)
            SetRange(vma, addr, vma.End, vma.PgOff + ((addr - vma.Start) >> PageShift));
        else
            SetRange(vma, vma.Start, addr, vma.PgOff);
        Vmas.Insert(created);
        return created;
    }

    /// <summary>split_vma(): refuses with ENOMEM at vm.max_map_count.</summary>
    public bool TrySplitVma(Vma vma, ulong addr, bool newBelow)
    {
        if (MapCount >= Kernel.Config.MaxMapCount)
            return false;
        SplitVma(vma, addr, newBelow);
        return true;
    }

    /// <summary>
    /// vma_modify(): [start, end) of vma gets new attributes (flags). Merge with neighbours if that makes them
    /// identical, otherwise split off the parts outside the range. Returns the VMA that now covers exactly
    /// [start, end), or null with ENOMEM when a split would exceed vm.max_map_count (earlier splits stay, as on Linux).
    /// </summary>
    public Vma? VmaModifyFlags(Vma? prev, Vma vma, ulong start, ulong end, VmFlags newFlags) =>
        VmaModify(prev, vma, start, end, newFlags, vma.UffdCtx);

    /// <summary>
    /// vma_modify_flags_uffd() and userfaultfd_set_ctx(): <see cref="VmaModifyFlags"/> that also gives the range a
    /// userfaultfd context (null to clear it), for UFFDIO_REGISTER, UFFDIO_UNREGISTER and the file's release. The
    /// VMA returned has the new flags and context.
    /// </summary>
    public Vma? VmaModifyFlagsUffd(Vma? prev, Vma vma, ulong start, ulong end, VmFlags newFlags, Userfaultfd.UserfaultfdCtx? ctx)
    {
        var modified = VmaModify(prev, vma, start, end, newFlags, ctx);
        if (modified is not null)
        {
            // vma_modify_flags() hands back the sticky flags a merge brought in.
            modified.Flags = newFlags | (modified.Flags & VmFlags.Sticky);
            modified.UffdCtx = ctx;
        }
        return modified;
    }

    private Vma? VmaModify(Vma? prev, Vma vma, ulong start, ulong end, VmFlags newFlags, Userfaultfd.UserfaultfdCtx? ctx)
    {
        var m = new MergeRequest
        {
            Prev = prev == vma ? null : prev,
            Middle = vma,
            Start = start,
            End = end,
            Flags = newFlags,
            File = vma.File,
            AnonVma = vma.AnonVma,
            UffdCtx = ctx,
            PgOff = vma.PgOff + ((start - vma.Start) >> PageShift),
        };
        // When the range starts inside vma, "prev" for merging purposes is vma itself and cannot merge left.
        if (start != vma.Start)
            m.Prev = vma;
        var merged = MergeExistingRange(m);
        if (merged is not null)
            return merged;

        if (vma.Start < start && !TrySplitVma(vma, start, newBelow: true))
            return null;
        if (vma.End > end && !TrySplitVma(vma, end, newBelow: false))
        {
            UnmergedNeighboursPossible = vma.Start < start || UnmergedNeighboursPossible;
            return null;
        }
        return vma;
    }
}

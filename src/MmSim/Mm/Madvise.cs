using MmSim.Abi;

namespace MmSim.Mm;

// madvise, mirroring mm/madvise.c.
internal sealed partial class MmStruct
{
    /// <summary>
    /// do_madvise(): the advice must be valid on this kernel (<see cref="MadviseTable"/>), then the range
    /// (check_input_range()); a zero length does nothing. POPULATE faults the range in; every other advice walks the
    /// VMAs.
    /// </summary>
    public long DoMadvise(ulong start, ulong lenIn, int advice)
    {
        var info = MadviseTable.Of(advice);
        return info.Valid ? MadviseRange(start, lenIn, info) : -(long)Errno.EINVAL;
    }

    /// <summary>check_input_range() and madvise_do_behavior() for one range of a valid advice.</summary>
    internal long MadviseRange(ulong start, ulong lenIn, MadviseInfo info)
    {
        if ((start & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        ulong len = PageAlign(lenIn);
        if (lenIn != 0 && len == 0)
            return -(long)Errno.EINVAL;
        ulong end = start + len;
        if (end < start)
            return -(long)Errno.EINVAL;
        if (end == start)
            return 0;
        if (!info.Valid)
            return -(long)Errno.EINVAL;
        if (info.Action == MadviseAction.Populate)
            return MadvisePopulate(start, end, write: info.Advice == Madv.MADV_POPULATE_WRITE);
        return MadviseWalkVmas(start, end, info, unmappedError: 0);
    }

    /// <summary>
    /// What <see cref="DoMadvise"/> returns when it stopped before zapping a VMA part whose userfaultfd wants a REMOVE
    /// event: the caller delivers the event, then calls <see cref="ResumeMadvise"/> with <see cref="TakeMadviseResume"/>.
    /// </summary>
    internal const long MadviseSuspended = long.MinValue + 1;

    /// <summary>
    /// Where a madvise stopped for a REMOVE event: the VMA part [Start, Tmp) and the rest of the walk; for MADV_REMOVE
    /// the file and page range to punch, taken before the event (the kernel holds the file, not the VMA).
    /// </summary>
    internal sealed record MadviseResumeState(ulong Start, ulong Tmp, ulong End, MadviseInfo Info, long UnmappedError,
        ShmemFile? File = null, ulong FirstIndex = 0);

    private MadviseResumeState? _madviseResume;

    internal MadviseResumeState TakeMadviseResume()
    {
        var state = _madviseResume ?? throw new InvariantViolationException("no madvise to resume");
        _madviseResume = null;
        return state;
    }

    /// <summary>
    /// The rest of a madvise after userfaultfd_remove() dropped the lock. MADV_DONTNEED looks the VMA up again at the
    /// part's start (ENOMEM if it is gone), checks it again, clips the part to it and zaps it (madvise_dontneed_free());
    /// MADV_REMOVE punches the hole it prepared. Then the walk goes on, with no previous VMA.
    /// </summary>
    internal long ResumeMadvise(MadviseResumeState state)
    {
        ulong tmp = state.Tmp;
        if (state.Info.Action == MadviseAction.Remove)
        {
            Kernel.PunchHoleShmem(state.File!, state.FirstIndex, state.FirstIndex + ((state.Tmp - state.Start) >> PageShift));
        }
        else
        {
            var vma = FindVma(state.Start);
            if (vma is null || vma.Start > state.Start)
                return -(long)Errno.ENOMEM;
            if (!DontNeedValid(vma, state.Info))
                return -(long)Errno.EINVAL;
            tmp = Math.Min(state.Tmp, vma.End);
            if (state.Info.Action == MadviseAction.Free)
            {
                long err = MadviseFree(vma, state.Start, tmp);
                if (err != 0)
                    return err;
            }
            else
            {
                UpdateHiwaterRss();
                ZapRange(vma, state.Start, tmp);
            }
        }
        return tmp >= state.End ? state.UnmappedError : MadviseWalkVmas(tmp, state.End, state.Info, state.UnmappedError);
    }

    /// <summary>madvise_walk_vmas(): holes are skipped but reported as ENOMEM at the end.</summary>
    private long MadviseWalkVmas(ulong start, ulong end, MadviseInfo info, long unmappedError)
    {
        var vma = FindVma(start);
        Vma? prev = vma is not null && start > vma.Start ? vma : (vma is null ? Vmas.Last : Vmas.Prev(vma));
        while (true)
        {
            if (vma is null)
                return -(long)Errno.ENOMEM;
            if (start < vma.Start)
            {
                unmappedError = -(long)Errno.ENOMEM;
                start = vma.Start;
                if (start >= end)
                    break;
            }
            ulong tmp = Math.Min(vma.End, end);
            long error = MadviseVmaBehavior(ref prev, vma, start, tmp, info);
            if (error == MadviseSuspended)
                _madviseResume = _madviseSuspending! with { Start = start, Tmp = tmp, End = end, UnmappedError = unmappedError };
            if (error != 0)
                return error;
            start = tmp;
            if (prev is not null && start < prev.End)
                start = prev.End;
            if (start >= end)
                break;
            vma = prev is not null ? FindVma(prev.End) : FindVma(start);
        }
        return unmappedError;
    }

    // How a VMA part asks to be suspended for its REMOVE event (the walk fills in where it stopped).
    private MadviseResumeState? _madviseSuspending;

    /// <summary>madvise_dontneed_free_valid_vma(): not a PFN map, and not locked unless MADV_DONTNEED_LOCKED.</summary>
    private static bool DontNeedValid(Vma vma, MadviseInfo info) =>
        (vma.Flags & (info.Advice == Madv.MADV_DONTNEED_LOCKED ? VmFlags.PfnMap : VmFlags.PfnMap | VmFlags.Locked)) == 0;

    /// <summary>
    /// userfaultfd_remove(): when the VMA's context asks for UFFD_FEATURE_EVENT_REMOVE, the part is announced and the
    /// walk stops here, to go on (<see cref="ResumeMadvise"/>) once the event was read.
    /// </summary>
    private bool SuspendForRemoveEvent(Vma vma, ulong start, ulong end, MadviseInfo info, ShmemFile? file = null, ulong firstIndex = 0)
    {
        if (!CollectsUffdEvents || !Userfaultfd.UserfaultfdCtx.WantsRemove(vma))
            return false;
        AddUffdEvent(vma.UffdCtx!, Userfaultfd.UffdMsg.Range(Uffd.UFFD_EVENT_REMOVE, start, end));
        _madviseSuspending = new MadviseResumeState(start, end, end, info, 0, file, firstIndex);
        return true;
    }

    /// <summary>madvise_vma_behavior() for one VMA's part [start, end).</summary>
    private long MadviseVmaBehavior(ref Vma? prev, Vma vma, ulong start, ulong end, MadviseInfo info)
    {
        switch (info.Action)
        {
            case MadviseAction.DontNeed:
                if (!DontNeedValid(vma, info))
                    return -(long)Errno.EINVAL;
                // userfaultfd_remove(): announced first, zapped once the event was read.
                if (SuspendForRemoveEvent(vma, start, end, info))
                    return MadviseSuspended;
                UpdateHiwaterRss();
                ZapRange(vma, start, end);
                prev = vma;
                return 0;
            case MadviseAction.Free:
                if (!DontNeedValid(vma, info))
                    return -(long)Errno.EINVAL;
                if (SuspendForRemoveEvent(vma, start, end, info))
                    return MadviseSuspended;
                prev = vma;
                return MadviseFree(vma, start, end);
            case MadviseAction.Cold:
            case MadviseAction.PageOut:
                prev = vma;
                return MadviseColdOrPageout(vma, start, end, pageout: info.Action == MadviseAction.PageOut);
            case MadviseAction.Remove:
                // madvise_remove() gives the lock up: the walk goes on without a previous VMA.
                prev = null;
                return MadviseRemove(vma, start, end, info);
            case MadviseAction.GuardInstall:
                prev = vma;
                return GuardInstall(vma, start, end);
            case MadviseAction.GuardRemove:
                prev = vma;
                return GuardRemove(vma, start, end);
            case MadviseAction.Collapse:
                // collapse_possible_orders() finds no huge page order for any VMA here.
                return -(long)Errno.EINVAL;
            case MadviseAction.WillNeed:
                prev = vma;
                return MadviseWillNeed(vma, start, end);
        }
        int advice = info.Advice;

        var newFlags = vma.Flags;
        switch (advice)
        {
            case Madv.MADV_NORMAL:
                newFlags &= ~(VmFlags.RandRead | VmFlags.SeqRead);
                break;
            case Madv.MADV_SEQUENTIAL:
                newFlags = (newFlags & ~VmFlags.RandRead) | VmFlags.SeqRead;
                break;
            case Madv.MADV_RANDOM:
                newFlags = (newFlags & ~VmFlags.SeqRead) | VmFlags.RandRead;
                break;
            case Madv.MADV_DONTFORK:
                newFlags |= VmFlags.DontCopy;
                break;
            case Madv.MADV_DOFORK:
                if ((newFlags & VmFlags.Io) != 0)
                    return -(long)Errno.EINVAL;
                newFlags &= ~VmFlags.DontCopy;
                break;
            case Madv.MADV_WIPEONFORK:
                // Only anonymous private memory can be wiped.
                if (vma.File is not null || (newFlags & VmFlags.Shared) != 0)
                    return -(long)Errno.EINVAL;
                newFlags |= VmFlags.WipeOnFork;
                break;
            case Madv.MADV_KEEPONFORK:
                newFlags &= ~VmFlags.WipeOnFork;
                break;
            case Madv.MADV_DONTDUMP:
                newFlags |= VmFlags.DontDump;
                break;
            case Madv.MADV_DODUMP:
                if ((newFlags & VmFlags.Special) != 0)
                    return -(long)Errno.EINVAL;
                newFlags &= ~VmFlags.DontDump;
                break;
            case Madv.MADV_HUGEPAGE:
                newFlags = (newFlags & ~VmFlags.NoHugePage) | VmFlags.HugePage;
                break;
            case Madv.MADV_NOHUGEPAGE:
                newFlags = (newFlags & ~VmFlags.HugePage) | VmFlags.NoHugePage;
                break;
            case Madv.MADV_MERGEABLE:
                // ksm_madvise(): only VMAs KSM can work on (vma_ksm_compatible()); others are left alone, silently.
                if (KsmCompatible(vma))
                    newFlags |= VmFlags.Mergeable;
                break;
            case Madv.MADV_UNMERGEABLE:
                // KSM's merging is not modelled, so there are no KSM pages to break.
                newFlags &= ~VmFlags.Mergeable;
                break;
        }
        if (newFlags == vma.Flags)
        {
            prev = vma;
            return 0;
        }
        var modified = VmaModifyFlags(prev, vma, start, end, newFlags);
        if (modified is null)
            return -(long)Errno.EAGAIN; // madvise() reports ENOMEM from a split as EAGAIN
        // vma_modify_flags() hands back the sticky flags a merge brought in.
        modified.Flags = newFlags | (modified.Flags & VmFlags.Sticky);
        prev = modified;
        return 0;
    }

    /// <summary>vma_ksm_compatible(): private, not special, not hugetlb.</summary>
    private static bool KsmCompatible(Vma vma) =>
        (vma.Flags & (VmFlags.Shared | VmFlags.MayShare | VmFlags.Special | VmFlags.HugeTlb)) == 0;
}

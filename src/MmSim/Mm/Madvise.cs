using MmSim.Abi;

namespace MmSim.Mm;

/// <summary>How the model handles one advice value (the seed patch's madvise_info[] idea: per-advice facts as data).</summary>
internal enum MadviseKind
{
    /// <summary>Not an advice Linux 6.18 knows: EINVAL.</summary>
    Invalid,
    /// <summary>Changes VMA flags only (may split and merge).</summary>
    Flags,
    /// <summary>MADV_DONTNEED: zap the range.</summary>
    DontNeed,
    /// <summary>A hint with no effect on anything the model tracks (MADV_WILLNEED on resident memory).</summary>
    NoOp,
    /// <summary>Valid on Linux, not modelled yet: ENOSYS, and the README says so.</summary>
    NotModelled,
}

// madvise, mirroring mm/madvise.c.
internal sealed partial class MmStruct
{
    public static MadviseKind Classify(int advice) => advice switch
    {
        Madv.MADV_NORMAL or Madv.MADV_RANDOM or Madv.MADV_SEQUENTIAL or Madv.MADV_DONTFORK or Madv.MADV_DOFORK
            or Madv.MADV_WIPEONFORK or Madv.MADV_KEEPONFORK or Madv.MADV_DONTDUMP or Madv.MADV_DODUMP
            or Madv.MADV_HUGEPAGE or Madv.MADV_NOHUGEPAGE => MadviseKind.Flags,
        Madv.MADV_DONTNEED => MadviseKind.DontNeed,
        Madv.MADV_WILLNEED => MadviseKind.NoOp,
        Madv.MADV_FREE or Madv.MADV_REMOVE or Madv.MADV_MERGEABLE or Madv.MADV_UNMERGEABLE or Madv.MADV_COLD
            or Madv.MADV_PAGEOUT or Madv.MADV_POPULATE_READ or Madv.MADV_POPULATE_WRITE or Madv.MADV_DONTNEED_LOCKED
            or Madv.MADV_COLLAPSE or Madv.MADV_HWPOISON or Madv.MADV_SOFT_OFFLINE or Madv.MADV_GUARD_INSTALL
            or Madv.MADV_GUARD_REMOVE => MadviseKind.NotModelled,
        _ => MadviseKind.Invalid,
    };

    /// <summary>do_madvise().</summary>
    public long DoMadvise(ulong start, ulong lenIn, int advice)
    {
        var kind = Classify(advice);
        // is_valid_madvise()
        if (kind == MadviseKind.Invalid || (start & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        ulong len = PageAlign(lenIn);
        if (lenIn != 0 && len == 0)
            return -(long)Errno.EINVAL;
        ulong end = start + len;
        if (end < start)
            return -(long)Errno.EINVAL;
        if (end == start)
            return 0;
        if (kind == MadviseKind.NotModelled)
            return -(long)Errno.ENOSYS;
        return MadviseWalkVmas(start, end, advice, kind, unmappedError: 0);
    }

    /// <summary>
    /// What <see cref="DoMadvise"/> returns when it stopped before zapping a VMA part whose userfaultfd wants a REMOVE
    /// event: the caller delivers the event, then calls <see cref="ResumeMadvise"/> with <see cref="TakeMadviseResume"/>.
    /// </summary>
    internal const long MadviseSuspended = long.MinValue + 1;

    /// <summary>Where a madvise stopped for a REMOVE event: the VMA part [Start, Tmp) and the rest of the walk.</summary>
    internal sealed record MadviseResumeState(ulong Start, ulong Tmp, ulong End, int Advice, MadviseKind Kind, long UnmappedError);

    private MadviseResumeState? _madviseResume;

    internal MadviseResumeState TakeMadviseResume()
    {
        var state = _madviseResume ?? throw new InvariantViolationException("no madvise to resume");
        _madviseResume = null;
        return state;
    }

    /// <summary>
    /// madvise_dontneed_free() after userfaultfd_remove() dropped the lock: the VMA is looked up again at the part's
    /// start (ENOMEM if it is gone), checked again, the part clipped to it and zapped; then the walk goes on.
    /// </summary>
    internal long ResumeMadvise(MadviseResumeState state)
    {
        var vma = FindVma(state.Start);
        if (vma is null || vma.Start > state.Start)
            return -(long)Errno.ENOMEM;
        if ((vma.Flags & (VmFlags.Locked | VmFlags.PfnMap)) != 0)
            return -(long)Errno.EINVAL;
        ulong tmp = Math.Min(state.Tmp, vma.End);
        UpdateHiwaterRss();
        ZapRange(vma, state.Start, tmp);
        return tmp >= state.End ? state.UnmappedError : MadviseWalkVmas(tmp, state.End, state.Advice, state.Kind, state.UnmappedError);
    }

    /// <summary>madvise_walk_vmas(): holes are skipped but reported as ENOMEM at the end.</summary>
    private long MadviseWalkVmas(ulong start, ulong end, int advice, MadviseKind kind, long unmappedError)
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
            long error = MadviseVmaBehavior(ref prev, vma, start, tmp, advice, kind);
            if (error == MadviseSuspended)
                _madviseResume = new MadviseResumeState(start, tmp, end, advice, kind, unmappedError);
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

    /// <summary>madvise_vma_behavior() for one VMA's part [start, end).</summary>
    private long MadviseVmaBehavior(ref Vma? prev, Vma vma, ulong start, ulong end, int advice, MadviseKind kind)
    {
        switch (kind)
        {
            case MadviseKind.DontNeed:
                // madvise_dontneed_free_valid_vma()
                if ((vma.Flags & (VmFlags.Locked | VmFlags.PfnMap)) != 0)
                    return -(long)Errno.EINVAL;
                // userfaultfd_remove(): announced first, zapped once the event was read.
                if (CollectsUffdEvents && Userfaultfd.UserfaultfdCtx.WantsRemove(vma))
                {
                    AddUffdEvent(vma.UffdCtx!, Userfaultfd.UffdMsg.Range(Uffd.UFFD_EVENT_REMOVE, start, end));
                    return MadviseSuspended;
                }
                UpdateHiwaterRss();
                ZapRange(vma, start, end);
                prev = vma;
                return 0;
            case MadviseKind.NoOp:
                prev = vma;
                return 0;
        }

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
        }
        if (newFlags == vma.Flags)
        {
            prev = vma;
            return 0;
        }
        var modified = VmaModifyFlags(prev, vma, start, end, newFlags);
        if (modified is null)
            return -(long)Errno.EAGAIN; // madvise() reports ENOMEM from a split as EAGAIN
        modified.Flags = newFlags;
        prev = modified;
        return 0;
    }
}

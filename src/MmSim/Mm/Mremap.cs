using MmSim.Abi;

namespace MmSim.Mm;

/// <summary>What an mremap() does to the size of the range (enum mremap_type).</summary>
internal enum RemapKind
{
    /// <summary>old_len == new_len: nothing to do unless the range moves.</summary>
    NoResize,
    /// <summary>old_len &gt; new_len: unmap the tail, in place (or before a move).</summary>
    Shrink,
    /// <summary>old_len &lt; new_len: grow in place if the following range is free, else move.</summary>
    Expand,
}

/// <summary>
/// struct vma_remap_struct: one mremap() call, threaded through the mm/mremap.c pipeline. The first group of
/// fields is what the caller passed; the second is the operation's working state. A move-only call spanning
/// several VMAs (remap_move()) rewrites Addr, OldLen, NewLen and NewAddr for each VMA in turn.
/// </summary>
internal sealed class RemapRequest
{
    // user-provided
    public ulong Addr;
    public ulong OldLen;
    public ulong NewLen;
    public int Flags;
    public ulong NewAddr;

    // internal
    /// <summary>The VMA containing Addr (vma_lookup()); replaced when a merge or unmap invalidates it.</summary>
    public Vma? Vma;
    /// <summary>|old_len - new_len|.</summary>
    public ulong Delta;
    public RemapKind Kind;
    /// <summary>Pages charged to vm_committed_as for a VM_ACCOUNT mapping (vrm->charged).</summary>
    public long Charged;
    /// <summary>A VM_LOCKED mapping grows: fault in the new tail after the call (vrm->populate_expand).</summary>
    public bool PopulateExpand;

    public bool Fixed => (Flags & Abi.Mremap.MREMAP_FIXED) != 0;
    public bool MayMove => (Flags & Abi.Mremap.MREMAP_MAYMOVE) != 0;
    public bool DontUnmap => (Flags & Abi.Mremap.MREMAP_DONTUNMAP) != 0;

    /// <summary>vrm_implies_new_addr(): FIXED or DONTUNMAP always pick a target address.</summary>
    public bool ImpliesNewAddr => (Flags & (Abi.Mremap.MREMAP_FIXED | Abi.Mremap.MREMAP_DONTUNMAP)) != 0;

    /// <summary>vrm_move_only(): FIXED with no size change, which may span several VMAs (6.17+).</summary>
    public bool MoveOnly => Fixed && OldLen == NewLen;

    /// <summary>vrm_will_map_new(): the call maps a new part of the address space.</summary>
    public bool WillMapNew => Kind == RemapKind.Expand || ImpliesNewAddr;
}

// mremap, mirroring mm/mremap.c (6.18): do_mremap() -> check_mremap_params(), then remap_move() for a move-only
// call, else check_prep_vma() and mremap_to() / mremap_at(); move_vma() -> copy_vma_and_data() -> copy_vma()
// and move_page_tables().
internal sealed partial class MmStruct
{
    /// <summary>
    /// do_mremap(). Returns the new address or -errno. On success <paramref name="r"/> tells the caller whether
    /// to populate a grown VM_LOCKED tail (done after the mmap lock is dropped, as Linux does).
    /// </summary>
    public long DoMremap(RemapRequest r)
    {
        // PAGE_ALIGN() before the checks: a length that wraps to 0 is "zero new_len".
        r.OldLen = PageAlign(r.OldLen);
        r.NewLen = PageAlign(r.NewLen);
        long err = CheckMremapParams(r);
        if (err != 0)
            return err;
        if (r.MoveOnly)
            return RemapMove(r);
        r.Vma = Vmas.Find(r.Addr);
        err = CheckPrepVma(r);
        if (err != 0)
            return err;
        return r.ImpliesNewAddr ? MremapTo(r) : MremapAt(r);
    }

    /// <summary>check_mremap_params(): the checks that need no VMA, in the kernel's order.</summary>
    private long CheckMremapParams(RemapRequest r)
    {
        const int known = Abi.Mremap.MREMAP_FIXED | Abi.Mremap.MREMAP_MAYMOVE | Abi.Mremap.MREMAP_DONTUNMAP;
        if ((r.Flags & ~known) != 0)
            return -(long)Errno.EINVAL;
        if ((r.Addr & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        // A zero old_len is the "duplicate a shared mapping" special case; a zero new_len is nonsense.
        if (r.NewLen == 0 || r.NewLen > TaskSize)
            return -(long)Errno.EINVAL;
        if (!r.ImpliesNewAddr)
            return 0;
        if (r.NewAddr > TaskSize - r.NewLen || (r.NewAddr & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        if (!r.MayMove)
            return -(long)Errno.EINVAL;
        if (r.DontUnmap && r.OldLen != r.NewLen)
            return -(long)Errno.EINVAL;
        // vrm_overlaps()
        if (r.Addr + r.OldLen > r.NewAddr && r.NewAddr + r.NewLen > r.Addr)
            return -(long)Errno.EINVAL;
        // move_vma() needs 4 maps of headroom; unmapping the target and the source may each split one VMA in three.
        if (MapCount + 2 >= Kernel.Config.MaxMapCount - 3)
            return -(long)Errno.ENOMEM;
        return 0;
    }

    /// <summary>check_prep_vma(): classify the call and check the VMA can be resized or moved as asked.</summary>
    private long CheckPrepVma(RemapRequest r)
    {
        var vma = r.Vma;
        if (vma is null)
            return -(long)Errno.EFAULT;
        r.Delta = r.OldLen > r.NewLen ? r.OldLen - r.NewLen : r.NewLen - r.OldLen;
        r.Kind = r.Delta == 0 ? RemapKind.NoResize : r.OldLen > r.NewLen ? RemapKind.Shrink : RemapKind.Expand;
        if (!r.ImpliesNewAddr)
            r.NewAddr = r.Addr;
        // Below only matters when the call expands or moves.
        if (!r.WillMapNew)
            return 0;

        ulong oldLen = r.OldLen;
        ulong newLen = r.NewLen;
        // Duplicating a private mapping would make an unrelated fresh one: refused.
        if (oldLen == 0 && (vma.Flags & (VmFlags.Shared | VmFlags.MayShare)) == 0)
            return -(long)Errno.EINVAL;
        if (r.DontUnmap && (vma.Flags & (VmFlags.DontExpand | VmFlags.PfnMap)) != 0)
            return -(long)Errno.EINVAL;
        // A shrink may unmap past the VMA; what moves is only the part kept.
        if (r.Kind == RemapKind.Shrink)
            oldLen = newLen;
        //   addr   vma->vm_end
        //   |-----.----------|
        //         .<--------->xxx>   old_len may not run past the VMA
        if (oldLen > vma.End - r.Addr)
            return -(long)Errno.EFAULT;
        if (newLen == oldLen)
            return 0;

        if ((vma.Flags & VmFlags.Locked) != 0)
            r.PopulateExpand = true;
        ulong pgoff = vma.PgOff + ((r.Addr - vma.Start) >> PageShift);
        if (pgoff + (newLen >> PageShift) < pgoff)
            return -(long)Errno.EINVAL;
        if ((vma.Flags & (VmFlags.DontExpand | VmFlags.PfnMap)) != 0)
            return -(long)Errno.EFAULT;
        if (!MlockFutureOk(vma.Flags, r.Delta))
            return -(long)Errno.EAGAIN;
        if (!MayExpandVm(vma.Flags, (long)(r.Delta >> PageShift)))
            return -(long)Errno.ENOMEM;
        return 0;
    }

    /// <summary>
    /// remap_move(): MREMAP_FIXED without a size change moves every VMA in [addr, addr + old_len), keeping the
    /// gaps between them. The range must start on a VMA; a failure part way leaves the VMAs before it moved.
    /// <code>
    ///           X        Y                       X        Y
    ///         &lt;---&gt;     &lt;-&gt;                    &lt;---&gt;     &lt;-&gt;
    /// |-------|   |-----| |-----|      |-------|   |-----| |-----|
    /// |   A   |   |  B  | |  C  | ---&gt; |   A'  |   |  B' | |  C' |
    /// |-------|   |-----| |-----|      |-------|   |-----| |-----|
    ///                               new_addr
    /// </code>
    /// </summary>
    private long RemapMove(RemapRequest r)
    {
        ulong start = r.Addr;
        ulong end = r.Addr + r.OldLen;
        ulong targetAddr = r.NewAddr;
        ulong lastEnd = 0;
        long res = -(long)Errno.EFAULT;
        bool seenVma = false;
        ulong cursor = start;
        while (cursor < end && FindVma(cursor) is { } vma && vma.Start < end)
        {
            ulong addr = Math.Max(vma.Start, start);
            ulong len = Math.Min(end, vma.End) - addr;
            // No gap permitted at the start of the range.
            if (!seenVma && start < vma.Start)
                return -(long)Errno.EFAULT;
            ulong offset = seenVma ? vma.Start - lastEnd : 0;
            lastEnd = vma.End;
            // The VMA iterator resumes after this VMA's end as it was: a DONTUNMAP source is still there.
            cursor = vma.End;

            // vma_multi_allowed(): anonymous memory and shmem are "known good", but a VMA registered with a
            // userfaultfd cannot be batched (the notification would drop the mmap lock): it must be the only VMA
            // of the range, with nothing after it, not even a gap.
            if ((vma.Flags & VmFlags.UffdFlags) != 0 && (seenVma || vma.End < end))
                return -(long)Errno.EFAULT;
            r.Vma = vma;
            r.Addr = addr;
            r.NewAddr = targetAddr + offset;
            r.OldLen = r.NewLen = len;
            long resVma = CheckPrepVma(r);
            if (resVma == 0)
                resVma = MremapTo(r);
            if (ErrnoInfo.IsError(resVma))
                return resVma;
            if (!seenVma)
                res = resVma;
            seenVma = true;
            targetAddr = (ulong)resVma + r.NewLen;
        }
        return res;
    }

    /// <summary>mremap_to(): the move to a chosen address (MREMAP_FIXED, or a hint with MREMAP_DONTUNMAP).</summary>
    private long MremapTo(RemapRequest r)
    {
        if (r.Fixed)
        {
            // Like MAP_FIXED: the target is unmapped first. If a later step fails, it stays unmapped (as on Linux).
            long err = DoMunmap(r.NewAddr, r.NewLen);
            if (err != 0)
                return err;
            // Unmapping part of the same VMA elsewhere may have split it: look it up again.
            r.Vma = Vmas.Find(r.Addr);
            if (r.Vma is null)
                return -(long)Errno.EFAULT;
        }
        if (r.Kind == RemapKind.Shrink)
        {
            long err = ShrinkVma(r, dropLock: false);
            if (err != 0)
                return err;
            r.OldLen = r.NewLen;
        }
        // MREMAP_DONTUNMAP keeps the source, so the address space grows by old_len.
        if (r.DontUnmap && !MayExpandVm(r.Vma!.Flags, (long)(r.OldLen >> PageShift)))
            return -(long)Errno.ENOMEM;
        long set = VrmSetNewAddr(r);
        if (set != 0)
            return set;
        return MoveVma(r);
    }

    /// <summary>mremap_at(): resize in place where possible, else move (MREMAP_MAYMOVE) to a free range.</summary>
    private long MremapAt(RemapRequest r)
    {
        switch (r.Kind)
        {
            case RemapKind.NoResize:
                return (long)r.Addr;
            case RemapKind.Shrink:
            {
                long err = ShrinkVma(r, dropLock: true);
                return err != 0 ? err : (long)r.Addr;
            }
            default:
                return ExpandVma(r);
        }
    }

    /// <summary>shrink_vma(): unmap [addr + new_len, addr + old_len), which may run past the VMA and over holes.</summary>
    private long ShrinkVma(RemapRequest r, bool dropLock)
    {
        long err = DoMunmap(r.Addr + r.NewLen, r.Delta);
        r.Vma = null;
        if (err != 0)
            return err;
        if (!dropLock)
        {
            r.Vma = Vmas.Find(r.Addr);
            if (r.Vma is null)
                return -(long)Errno.EFAULT;
        }
        return 0;
    }

    /// <summary>expand_vma(): grow in place when [addr, addr + old_len) ends the VMA and the range after it is free.</summary>
    private long ExpandVma(RemapRequest r)
    {
        var vma = r.Vma!;
        // vrm_can_expand_in_place() with vma_expandable()
        ulong end = vma.End + r.Delta;
        if (vma.End - r.Addr == r.OldLen && end > vma.End && FindVmaIntersection(vma.End, end) is null
            && end - vma.Start <= TaskSize && vma.Start <= TaskSize - (end - vma.Start))
            return ExpandVmaInPlace(r);
        if (!r.MayMove)
            return -(long)Errno.ENOMEM;
        long set = VrmSetNewAddr(r);
        if (set != 0)
            return set;
        return MoveVma(r);
    }

    /// <summary>expand_vma_in_place() with vma_merge_extend(): extend the VMA, merging the next one if it now fits.</summary>
    private long ExpandVmaInPlace(RemapRequest r)
    {
        if (!VrmCalcCharge(r))
            return -(long)Errno.ENOMEM;
        var vma = r.Vma!;
        //   |----vma----|+++delta+++|----next----|
        //   extend vma over delta; take next in too when it is compatible
        var m = new MergeRequest
        {
            Prev = vma,
            Next = Vmas.Next(vma),
            Start = vma.End,
            End = vma.End + r.Delta,
            PgOff = vma.LinearPageIndex(vma.End),
            Flags = vma.Flags,
            File = vma.File,
            AnonVma = vma.AnonVma,
            UffdCtx = vma.UffdCtx,
        };
        var merged = MergeNewRange(m);
        if (merged is null)
        {
            VrmUncharge(r);
            return -(long)Errno.ENOMEM;
        }
        r.Vma = merged;
        VrmStatAccount(r, r.Delta);
        return (long)r.Addr;
    }

    /// <summary>vrm_set_new_addr(): get_unmapped_area() for the target, MAP_FIXED under MREMAP_FIXED, else a hint.</summary>
    private long VrmSetNewAddr(RemapRequest r)
    {
        var vma = r.Vma!;
        ulong pgoff = vma.PgOff + ((r.Addr - vma.Start) >> PageShift);
        int mapFlags = (r.Fixed ? Map.MAP_FIXED : 0) | ((vma.Flags & VmFlags.MayShare) != 0 ? Map.MAP_SHARED : 0);
        long res = GetUnmappedArea(vma.File, r.ImpliesNewAddr ? r.NewAddr : 0, r.NewLen, pgoff, mapFlags, 0);
        if (ErrnoInfo.IsError(res))
            return res;
        r.NewAddr = (ulong)res;
        return 0;
    }

    /// <summary>vrm_calc_charge(): a VM_ACCOUNT mapping is charged the growth, or all of new_len with DONTUNMAP.</summary>
    private bool VrmCalcCharge(RemapRequest r)
    {
        if ((r.Vma!.Flags & VmFlags.Account) == 0)
            return true;
        long charged = (long)((r.DontUnmap ? r.NewLen : r.Delta) >> PageShift);
        if (!Kernel.VmEnoughMemory(this, charged))
            return false;
        r.Charged = charged;
        return true;
    }

    private void VrmUncharge(RemapRequest r)
    {
        if ((r.Vma!.Flags & VmFlags.Account) == 0)
            return;
        Kernel.VmUnacctMemory(r.Charged);
        r.Charged = 0;
    }

    /// <summary>vrm_stat_account(): the address-space counters, and locked_vm for a VM_LOCKED mapping.</summary>
    private void VrmStatAccount(RemapRequest r, ulong bytes)
    {
        long pages = (long)(bytes >> PageShift);
        VmStatAccount(r.Vma!.Flags, pages);
        if ((r.Vma.Flags & VmFlags.Locked) != 0)
            LockedVm += pages;
    }

    /// <summary>
    /// move_vma(): copy the VMA to NewAddr, move its page tables, then unmap the source (or, with
    /// MREMAP_DONTUNMAP, keep it, empty). Nothing can fail in the model after the charge: the frames for the
    /// page tables are made free before it.
    /// </summary>
    private long MoveVma(RemapRequest r)
    {
        // prep_move_vma(): copying may add a VMA and unmapping the source may split one.
        if (MapCount >= Kernel.Config.MaxMapCount - 3)
            return -(long)Errno.ENOMEM;
        // The page tables the move may need, each a frame of RAM; the OOM killer may run, and may choose us.
        if (!ReserveMoveTables(r.NewAddr, r.OldLen))
            return -(long)Errno.ENOMEM;
        if (!VrmCalcCharge(r))
            return -(long)Errno.ENOMEM;
        // A shrink before the move (MREMAP_FIXED) unaccounted the tail already, and the moved VMA keeps its
        // charge, so the delta charged here backs nothing: Linux 6.18 leaks it.
        if (r.Kind == RemapKind.Shrink)
            Kernel.CommittedUnbacked += r.Charged;

        // Point of no return.
        var newVma = CopyVmaAndData(r);
        // total_vm is raised for a moment before the source is unmapped; hiwater_vm must not see it.
        long hiwaterVm = HiwaterVm;
        VrmStatAccount(r, r.NewLen);
        if (r.DontUnmap)
            DontunmapComplete(r, newVma);
        else
            UnmapSourceVma(r);
        HiwaterVm = hiwaterVm;
        return (long)r.NewAddr;
    }

    /// <summary>copy_vma_and_data(): the new VMA, then the page tables moved into it.</summary>
    private Vma CopyVmaAndData(RemapRequest r)
    {
        var vma = r.Vma!;
        ulong newPgoff = vma.PgOff + ((r.Addr - vma.Start) >> PageShift);
        var newVma = CopyVma(ref vma, r.NewAddr, r.NewLen, newPgoff);
        r.Vma = vma;
        MovePageTables(vma, r.Addr, newVma, r.NewAddr, r.OldLen);
        Phys.AllowMinWatermark(0); // what the reservation did not use
        Userfaultfd.UserfaultfdCtx.MremapPrep(newVma, r.Addr, r.NewAddr, r.OldLen);
        return newVma;
    }

    /// <summary>
    /// copy_vma() (mm/vma.c): a VMA for [addr, addr + len) with vma's attributes, merged with its new neighbours
    /// where vma_merge_copied_range() allows. An anonymous VMA that never faulted takes pgoff = addr &gt;&gt; PAGE_SHIFT,
    /// as a fresh mapping would, so it can merge where it lands; a faulted one keeps its pgoff, so its pages keep
    /// their anon_vma index. <paramref name="vma"/> is replaced when the copy merged into it and replaced it.
    /// </summary>
    private Vma CopyVma(ref Vma vma, ulong addr, ulong len, ulong pgoff)
    {
        bool faultedInAnonVma = true;
        if (vma.IsAnonymous && vma.AnonVma is null)
        {
            pgoff = addr >> PageShift;
            faultedInAnonVma = false;
        }
        var next = FindVma(addr);
        var prev = next is null ? Vmas.Last : Vmas.Prev(next);
        if (next is not null && next.Start < addr + len)
            throw new InvariantViolationException($"mremap target 0x{addr:x} is not free");
        var m = new MergeRequest
        {
            Prev = prev,
            Next = next,
            Start = addr,
            End = addr + len,
            PgOff = pgoff,
            Flags = vma.Flags,
            File = vma.File,
            AnonVma = vma.AnonVma,
            UffdCtx = vma.UffdCtx,
            CopiedFrom = vma,
        };
        ulong oldStart = vma.Start;
        var newVma = MergeNewRange(m);
        if (newVma is not null)
        {
            // The copy landed just before its own source and merged into it (possibly with prev too,
            // removing the source): from now on the source is the merged VMA.
            if (newVma.Start <= oldStart && newVma.End > oldStart)
            {
                if (faultedInAnonVma)
                    throw new InvariantViolationException("a faulted VMA merged with its own copy");
                vma = newVma;
            }
            return newVma;
        }
        newVma = new Vma(this, addr, addr + len, vma.Flags, pgoff, vma.File) { AnonVma = vma.AnonVma, UffdCtx = vma.UffdCtx };
        if (vma.Chain.Count > 0)
            Rmap.Clone(newVma, vma, tryReuse: false);
        if (newVma.File is not null)
            newVma.File.Users++;
        Vmas.Insert(newVma);
        return newVma;
    }

    /// <summary>
    /// dontunmap_complete(): the source stays mapped but empty. The whole source VMA loses VM_LOCKED/VM_LOCKONFAULT
    /// (its pages are gone), keeps VM_ACCOUNT, and drops its anon_vma links when the whole VMA moved. locked_vm is not lowered:
    /// Linux 6.18 counts the range twice from here on, and the excess stays after both are unmapped.
    /// </summary>
    private void DontunmapComplete(RemapRequest r, Vma newVma)
    {
        var vma = r.Vma!;
        ulong start = r.Addr;
        ulong end = r.Addr + r.OldLen;
        // The whole source VMA loses the lock bits, not only the moved range (it is not split), and locked_vm
        // keeps counting all of it.
        if ((vma.Flags & VmFlags.Locked) != 0)
            LockedVmUnbacked += (long)vma.Pages;
        vma.Flags &= ~VmFlags.LockedMask;
        if (newVma != vma && start == vma.Start && end == vma.End)
            Rmap.Unlink(vma);
        // Losing the lock bits or the anon_vma may make the source identical to a neighbour; Linux does not merge.
        if ((Vmas.Prev(vma) is { } p && WouldMerge(p, vma)) || (Vmas.Next(vma) is { } n && WouldMerge(vma, n)))
            UnmergedNeighboursPossible = true;
    }

    /// <summary>
    /// unmap_source_vma(): unmap the old range. The move was charged already, so VM_ACCOUNT is cleared for the
    /// unmap (which would otherwise uncharge it) and set again on what remains of the VMA on either side.
    /// <code>
    ///    addr  end                addr  end
    /// |-------------|    -&gt;    |---|     |---|   VM_ACCOUNT set again on A and B
    /// |             |          | A |     | B |
    /// |-------------|          |---|     |---|
    /// </code>
    /// </summary>
    private void UnmapSourceVma(RemapRequest r)
    {
        ulong addr = r.Addr;
        ulong len = r.OldLen;
        var vma = r.Vma!;
        bool accountableMove = (vma.Flags & VmFlags.Account) != 0 && !r.DontUnmap;
        ulong vmStart = vma.Start;
        ulong vmEnd = vma.End;
        if (accountableMove)
            vma.Flags &= ~VmFlags.Account;
        long err = DoMunmap(addr, len);
        r.Vma = null;
        if (err != 0)
        {
            // old_len 0 (duplicating a shared mapping) lands here with EINVAL and nothing to correct.
            if (len != 0)
                Kernel.VmAcctMemory((long)(len >> PageShift));
            return;
        }
        if (!accountableMove)
            return;
        ulong end = addr + len;
        if (vmStart < addr && Vmas.Find(addr - PageSize) is { } prev)
            prev.Flags |= VmFlags.Account;
        if (vmEnd > end && Vmas.Find(end) is { } next)
            next.Flags |= VmFlags.Account;
    }
}

using MmSim.Abi;

namespace MmSim.Mm;

// mlock, mlock2, munlock, mlockall and munlockall, mirroring mm/mlock.c.
// PG_mlocked invariant kept here: a frame is Mlocked iff at least one VM_LOCKED VMA maps it (the kernel's
// mlock_count, counted per locked mapping, reaches the same answer for these calls).
internal sealed partial class MmStruct
{
    /// <summary>do_mlock(): lock [start, start+len) with flags (VM_LOCKED, optionally VM_LOCKONFAULT).</summary>
    public long DoMlock(ulong start, ulong len, VmFlags flags)
    {
        if (!Owner.CanDoMlock())
            return -(long)Errno.EPERM;
        len = PageAlign(len + (start & (PageSize - 1)));
        start &= ~(PageSize - 1);
        ulong lockLimit = Owner.GetRlimit(Rlimit.RLIMIT_MEMLOCK).Cur >> PageShift;
        ulong locked = (len >> PageShift) + (ulong)LockedVm;
        if (locked > lockLimit && !Owner.HasCapIpcLock)
            // Pages of the range already locked are in locked_vm already.
            locked -= CountMmMlockedPageNr(start, len);
        if (locked > lockLimit && !Owner.HasCapIpcLock)
            return -(long)Errno.ENOMEM;
        long error = ApplyVmaLockFlags(start, len, flags);
        if (error != 0)
            return error;
        return MmPopulateChecked(start, start + len);
    }

    /// <summary>
    /// __mm_populate(start, len, 0) with __mlock_posix_error_return(): populate VMA by VMA, stopping at a hole
    /// or at the first VMA that GUP refuses. populate_vma_page_range() skips VM_LOCKONFAULT VMAs and fails an
    /// inaccessible (PROT_NONE) one with EFAULT, which mlock reports as ENOMEM. The VMAs stay locked: Linux
    /// leaves apply_vma_lock_flags()'s effect in place.
    /// </summary>
    private long MmPopulateChecked(ulong start, ulong end)
    {
        for (ulong nstart = start; nstart < end; )
        {
            var vma = FindVmaIntersection(nstart, end);
            if (vma is null)
                break;
            ulong nend = Math.Min(end, vma.End);
            nstart = Math.Max(nstart, vma.Start);
            if ((vma.Flags & (VmFlags.Io | VmFlags.PfnMap | VmFlags.LockOnFault)) == 0)
            {
                // GUP: an inaccessible VMA or a page that faults SIGBUS is EFAULT, shown as ENOMEM; an OOM
                // is ENOMEM, shown as EAGAIN.
                if ((vma.Flags & VmFlags.AccessFlags) == 0)
                    return -(long)Errno.ENOMEM;
                var err = PopulateRange(nstart, nend);
                if (err == FaultError.Oom)
                    return -(long)Errno.EAGAIN;
                if (err != FaultError.None)
                    return -(long)Errno.ENOMEM;
            }
            nstart = nend;
        }
        return 0;
    }

    /// <summary>munlock(): clear VM_LOCKED|VM_LOCKONFAULT on [start, start+len).</summary>
    public long DoMunlock(ulong start, ulong len)
    {
        len = PageAlign(len + (start & (PageSize - 1)));
        start &= ~(PageSize - 1);
        return ApplyVmaLockFlags(start, len, 0);
    }

    /// <summary>count_mm_mlocked_page_nr(): pages of [start, start+len) inside VM_LOCKED VMAs.</summary>
    private ulong CountMmMlockedPageNr(ulong start, ulong len)
    {
        ulong end = ulong.MaxValue - len < start ? ulong.MaxValue : start + len;
        ulong count = 0;
        for (var vma = FindVmaIntersection(start, end); vma is not null && vma.Start < end; vma = Vmas.Next(vma))
        {
            if ((vma.Flags & VmFlags.Locked) == 0)
                continue;
            if (start > vma.Start)
                count -= start - vma.Start;
            if (end < vma.End)
            {
                count += end - vma.Start;
                break;
            }
            count += vma.End - vma.Start;
        }
        return count >> PageShift;
    }

    /// <summary>
    /// apply_vma_lock_flags(): set the VM_LOCKED_MASK bits of every VMA in [start, start+len) to flags. A hole is
    /// ENOMEM; VMAs before the hole keep their new flags, as on Linux.
    /// </summary>
    private long ApplyVmaLockFlags(ulong start, ulong len, VmFlags flags)
    {
        ulong end = start + len;
        if (end < start)
            return -(long)Errno.EINVAL;
        if (end == start)
            return 0;
        var vma = FindVma(start);
        if (vma is null || vma.Start > start)
            return -(long)Errno.ENOMEM;
        var prev = start > vma.Start ? vma : Vmas.Prev(vma);
        ulong nstart = start;
        ulong tmp = vma.Start;
        for (var cur = vma; cur is not null && cur.Start < end; )
        {
            if (cur.Start != tmp)
                return -(long)Errno.ENOMEM;
            var newFlags = (cur.Flags & ~VmFlags.LockedMask) | flags;
            tmp = Math.Min(cur.End, end);
            long error = MlockFixup(ref prev, cur, nstart, tmp, newFlags, out var fixedVma);
            if (error != 0)
                return error;
            tmp = fixedVma.End;
            nstart = tmp;
            cur = Vmas.Next(fixedVma);
        }
        return tmp < end ? -(long)Errno.ENOMEM : 0;
    }

    /// <summary>mlock_fixup(): give [start, end) of vma newFlags, account locked_vm, lock or unlock its pages.</summary>
    private long MlockFixup(ref Vma? prev, Vma vma, ulong start, ulong end, VmFlags newFlags, out Vma result)
    {
        result = vma;
        var oldFlags = vma.Flags;
        // VM_SPECIAL and hugetlb VMAs never get VM_LOCKED and are not counted.
        if (newFlags == oldFlags || (oldFlags & VmFlags.Special) != 0 || (oldFlags & VmFlags.HugeTlb) != 0)
        {
            prev = vma;
            return 0;
        }
        var modified = VmaModifyFlags(prev, vma, start, end, newFlags);
        if (modified is null)
            return -(long)Errno.ENOMEM;
        prev = modified;
        result = modified;
        long nrPages = (long)((end - start) >> PageShift);
        if ((newFlags & VmFlags.Locked) == 0)
            nrPages = -nrPages;
        else if ((oldFlags & VmFlags.Locked) != 0)
            nrPages = 0;
        LockedVm += nrPages;
        // vma_modify_flags() hands back the sticky flags a merge brought in.
        modified.Flags = newFlags | (modified.Flags & VmFlags.Sticky);
        // Locked to locked (VM_LOCKONFAULT toggled): the pages are mlocked already.
        if ((newFlags & oldFlags & VmFlags.Locked) == 0)
            MlockVmaPagesRange(modified, start, end);
        return 0;
    }

    /// <summary>
    /// mlock_vma_pages_range() / mlock_pte_range(): mlock the present pages of [start, end) when vma is now
    /// VM_LOCKED, munlock them otherwise. The zero page and other special PTEs are skipped (vm_normal_folio()).
    /// </summary>
    private void MlockVmaPagesRange(Vma vma, ulong start, ulong end)
    {
        Kernel.LruAddDrain();
        bool lockPages = (vma.Flags & VmFlags.Locked) != 0;
        foreach (var span in PageTables.Walk(start, end))
        {
            var e = span.Table.Entries;
            for (int i = span.From; i <= span.To; i++)
            {
                var pte = new Pte(e[i]);
                if (!pte.MapsFrame)
                    continue;
                if (lockPages)
                {
                    MlockFolio(pte.Pfn);
                }
                else
                {
                    if (Phys.MapCount(pte.Pfn) < 2 || !MappedByOtherLockedVma(pte.Pfn, vma))
                        MunlockFolio(pte.Pfn);
                    Kernel.Lru.QueueMlock(pte.Pfn);
                }
            }
        }
        Kernel.LruAddDrain();
    }

    /// <summary>munlock_folio() once the last locked mapping is gone: PG_mlocked cleared.</summary>
    private void MunlockFolio(int pfn)
    {
        ref var f = ref Phys.Flags(pfn);
        if ((f & PageFlags.Mlocked) != 0)
        {
            f &= ~PageFlags.Mlocked;
            Kernel.NrMlock--;
        }
    }

    /// <summary>
    /// Whether a VM_LOCKED VMA other than <paramref name="except"/> maps pfn (the rest of the folio's mlock_count).
    /// Pages are found at their linear index, which anonymous and shmem pages both keep across fork and mremap.
    /// </summary>
    private bool MappedByOtherLockedVma(int pfn, Vma except)
    {
        ulong index = Phys.Index(pfn);
        foreach (var p in Kernel.Processes)
        {
            var mm = p.Mm;
            if (mm is null)
                continue;
            foreach (var vma in mm.Vmas)
            {
                if (vma == except || (vma.Flags & VmFlags.Locked) == 0 || index < vma.PgOff)
                    continue;
                ulong off = index - vma.PgOff;
                if (off >= (vma.End - vma.Start) >> PageShift)
                    continue;
                ulong addr = vma.Start + (off << PageShift);
                var table = mm.PageTables.LookupPteTable(addr);
                if (table is null)
                    continue;
                var pte = new Pte(table.Entries[PageTables.PteIndex(addr)]);
                if (pte.MapsFrame && pte.Pfn == pfn)
                    return true;
            }
        }
        return false;
    }

    /// <summary>mlockall(): MCL_FUTURE sets def_flags; MCL_CURRENT locks every VMA (apply_mlockall_flags()).</summary>
    public long DoMlockall(int flags)
    {
        if (flags == 0 || (flags & ~(Mlock.MCL_CURRENT | Mlock.MCL_FUTURE | Mlock.MCL_ONFAULT)) != 0
            || flags == Mlock.MCL_ONFAULT)
            return -(long)Errno.EINVAL;
        if (!Owner.CanDoMlock())
            return -(long)Errno.EPERM;
        ulong lockLimit = Owner.GetRlimit(Rlimit.RLIMIT_MEMLOCK).Cur >> PageShift;
        if ((flags & Mlock.MCL_CURRENT) != 0 && !Owner.HasCapIpcLock && TotalVm > (long)lockLimit)
            return -(long)Errno.ENOMEM;
        ApplyMlockallFlags(flags);
        if ((flags & Mlock.MCL_CURRENT) != 0)
            Populate(0, TaskSize); // mm_populate(0, TASK_SIZE)
        return 0;
    }

    /// <summary>munlockall(): apply_mlockall_flags(0).</summary>
    public long DoMunlockall()
    {
        ApplyMlockallFlags(0);
        return 0;
    }

    /// <summary>apply_mlockall_flags(): def_flags from MCL_FUTURE, then every VMA gets the MCL_CURRENT lock flags.</summary>
    private void ApplyMlockallFlags(int flags)
    {
        DefFlags &= ~VmFlags.LockedMask;
        VmFlags toAdd = 0;
        if ((flags & Mlock.MCL_FUTURE) != 0)
        {
            DefFlags |= VmFlags.Locked;
            if ((flags & Mlock.MCL_ONFAULT) != 0)
                DefFlags |= VmFlags.LockOnFault;
            if ((flags & Mlock.MCL_CURRENT) == 0)
                return;
        }
        if ((flags & Mlock.MCL_CURRENT) != 0)
        {
            toAdd |= VmFlags.Locked;
            if ((flags & Mlock.MCL_ONFAULT) != 0)
                toAdd |= VmFlags.LockOnFault;
        }
        Vma? prev = null;
        for (var vma = Vmas.First; vma is not null; )
        {
            var newFlags = (vma.Flags & ~VmFlags.LockedMask) | toAdd;
            // mlock_fixup() errors are ignored here, as in the kernel.
            if (MlockFixup(ref prev, vma, vma.Start, vma.End, newFlags, out var fixedVma) != 0)
                prev = vma;
            vma = Vmas.Next(fixedVma);
        }
    }
}

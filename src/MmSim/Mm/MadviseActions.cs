using MmSim.Abi;

namespace MmSim.Mm;

// The madvise advices that act on page tables and files rather than VMA flags: MADV_REMOVE, MADV_GUARD_INSTALL and
// MADV_GUARD_REMOVE, MADV_POPULATE_READ and MADV_POPULATE_WRITE, after mm/madvise.c of Linux 6.18.
internal sealed partial class MmStruct
{
    /// <summary>
    /// madvise_remove(): punch a hole in the file behind a shared, writable-capable mapping (FALLOC_FL_PUNCH_HOLE):
    /// every mapping of those pages loses them, private copies excepted. EINVAL on a locked VMA or one with no file,
    /// EACCES unless VM_SHARED and VM_MAYWRITE. A userfaultfd asking for REMOVE events hears of it first.
    /// </summary>
    private long MadviseRemove(Vma vma, ulong start, ulong end, MadviseInfo info)
    {
        if ((vma.Flags & VmFlags.Locked) != 0)
            return -(long)Errno.EINVAL;
        if (vma.File is not { } file)
            return -(long)Errno.EINVAL;
        if ((vma.Flags & (VmFlags.Shared | VmFlags.MayWrite)) != (VmFlags.Shared | VmFlags.MayWrite))
            return -(long)Errno.EACCES;
        ulong first = vma.PgOff + ((start - vma.Start) >> PageShift);
        if (SuspendForRemoveEvent(vma, start, end, info, file, first))
            return MadviseSuspended;
        Kernel.PunchHoleShmem(file, first, first + ((end - start) >> PageShift));
        return 0;
    }

    /// <summary>
    /// is_valid_guard_vma(): not VM_SPECIAL or hugetlb, and for installing not locked (zapping locked pages is
    /// refused; removing guards is harmless).
    /// </summary>
    private static bool ValidGuardVma(Vma vma, bool allowLocked) =>
        (vma.Flags & (VmFlags.Special | VmFlags.HugeTlb | (allowLocked ? 0 : VmFlags.Locked))) == 0;

    /// <summary>
    /// madvise_guard_install(): the VMA is marked VM_MAYBE_GUARD (whole, without a split); anything mapped in the range
    /// is zapped, guard markers already there stay; then every page of the range gets a guard marker, which faults
    /// with SIGSEGV. An anonymous VMA gets its anon_vma first.
    /// </summary>
    private long GuardInstall(Vma vma, ulong start, ulong end)
    {
        if (!ValidGuardVma(vma, allowLocked: false))
            return -(long)Errno.EINVAL;
        vma.Flags |= VmFlags.MaybeGuard;
        if (vma.IsAnonymous)
            Rmap.Prepare(vma);
        bool populated = false;
        foreach (var span in PageTables.Walk(start, end))
        {
            for (int i = span.From; i <= span.To && !populated; i++)
                populated = span.Table.Entries[i] != 0 && !IsGuard(span.Table.Entries[i]);
        }
        if (populated)
        {
            UpdateHiwaterRss();
            ZapRange(vma, start, end);
            // What a zap keeps (uffd-wp markers of a shmem VMA registered for WP, which the zap also puts where
            // protected pages were) makes 6.18 try three times, then restart the syscall, forever.
            foreach (var span in PageTables.Walk(start, end))
            {
                for (int i = span.From; i <= span.To; i++)
                {
                    if (span.Table.Entries[i] != 0 && !IsGuard(span.Table.Entries[i]))
                        return MadviseLivelock;
                }
            }
        }
        var guard = Pte.Marker(Pte.MarkerGuard).Raw;
        for (ulong addr = start; addr < end; addr += PageSize)
        {
            if (PteAlloc(addr, Owner) is not { } table)
                return -(long)Errno.ENOMEM;
            table.Entries[PageTables.PteIndex(addr)] = guard;
        }
        return 0;
    }

    /// <summary>
    /// What MADV_GUARD_INSTALL returns where Linux would restart it forever (ERESTARTNOINTR after
    /// MAX_MADVISE_GUARD_RETRIES): the caller never comes back. Measured on 6.18: the call spins until killed.
    /// </summary>
    internal const long MadviseLivelock = long.MinValue + 2;

    private static bool IsGuard(ulong raw)
    {
        var pte = new Pte(raw);
        return pte.IsMarker && (pte.MarkerBits & Pte.MarkerGuard) != 0;
    }

    /// <summary>madvise_guard_remove(): the guard markers in the range are cleared; nothing else changes, VM_MAYBE_GUARD stays.</summary>
    private long GuardRemove(Vma vma, ulong start, ulong end)
    {
        if (!ValidGuardVma(vma, allowLocked: true))
            return -(long)Errno.EINVAL;
        foreach (var span in PageTables.Walk(start, end))
        {
            var entries = span.Table.Entries;
            for (int i = span.From; i <= span.To; i++)
            {
                if (IsGuard(entries[i]))
                    entries[i] = 0;
            }
        }
        return 0;
    }

    /// <summary>
    /// madvise_populate(): faultin_page_range() over [start, end), page by page, as GUP faults them in (FOLL_WRITE for
    /// MADV_POPULATE_WRITE, which breaks COW). It stops at the first page it cannot do: a hole is ENOMEM, a VMA that
    /// does not allow the access (PROT_NONE, read-only for a write, VM_IO or VM_PFNMAP) EINVAL, a fault that would
    /// signal (SIGBUS past the end of a file, SIGSEGV on a guard marker) EFAULT, a poisoned page EHWPOISON. The pages
    /// before it stay populated.
    /// </summary>
    private long MadvisePopulate(ulong start, ulong end, bool write)
    {
        // As GUP's populate does: the CPU's folio batches drain at the end (measured on 6.18).
        long ret = MadvisePopulatePages(start, end, write);
        Kernel.LruAddDrain();
        return ret;
    }

    private long MadvisePopulatePages(ulong start, ulong end, bool write)
    {
        for (ulong addr = start; addr < end; addr += PageSize)
        {
            var vma = FindVma(addr);
            if (vma is null || vma.Start > addr)
                return -(long)Errno.ENOMEM;
            // check_vma_flags()
            if ((vma.Flags & (VmFlags.Io | VmFlags.PfnMap)) != 0
                || (vma.Flags & (write ? VmFlags.Write : VmFlags.Read)) == 0)
                return -(long)Errno.EINVAL;
            switch (FaultinPage(vma, addr, write))
            {
                case FaultError.None:
                    break;
                case FaultError.Oom:
                    return -(long)Errno.ENOMEM;
                case FaultError.HwPoison:
                    return -(long)Errno.EHWPOISON;
                default:
                    return -(long)Errno.EFAULT;
            }
        }
        return 0;
    }
}

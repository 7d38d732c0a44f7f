using MmSim.Abi;

namespace MmSim.Mm;

// brk (mm/mmap.c), msync (mm/msync.c), mincore (mm/mincore.c).
internal sealed partial class MmStruct
{
    /// <summary>brk(2): returns the new break, or the old one when the request cannot be met.</summary>
    public long DoBrk(ulong brk)
    {
        ulong origBrk = Brk;
        if (brk < StartBrk)
            return (long)origBrk;
        var data = Owner.GetRlimit(Rlimit.RLIMIT_DATA).Cur;
        // check_data_rlimit(): no data segment in the model, so only the heap counts.
        if (data != Rlimit.RLIM_INFINITY && brk - StartBrk > data)
            return (long)origBrk;

        ulong newBrk = PageAlign(brk);
        ulong oldBrk = PageAlign(Brk);
        if (oldBrk == newBrk)
        {
            Brk = brk;
            return (long)brk;
        }
        if (brk <= Brk)
        {
            // Always allow shrinking brk.
            var brkVma = FindVmaIntersection(newBrk, oldBrk);
            if (brkVma is null || brkVma.Start >= oldBrk)
                return (long)origBrk;
            Brk = brk;
            DoAlignMunmap(brkVma, newBrk, oldBrk);
            return (long)brk;
        }
        // The heap keeps a guard page from the next mapping.
        if (FindVmaIntersection(oldBrk, newBrk + PageSize) is not null)
            return (long)origBrk;
        var prevVma = Vmas.FindLastStartingBefore(oldBrk);
        if (prevVma is not null && prevVma.End <= StartBrk)
            prevVma = null;
        // After mlockall(MCL_FUTURE) the growth is locked and must fit RLIMIT_MEMLOCK (mlock_future_ok()).
        if (!MlockFutureOk(DefFlags, newBrk - oldBrk))
            return (long)origBrk;
        if (DoBrkFlags(prevVma, oldBrk, newBrk - oldBrk) != 0)
            return (long)origBrk;
        Brk = brk;
        if ((DefFlags & VmFlags.Locked) != 0)
            Populate(oldBrk, newBrk);
        return (long)brk;
    }

    /// <summary>do_brk_flags(): extend the heap VMA or create it.</summary>
    private long DoBrkFlags(Vma? vma, ulong addr, ulong len)
    {
        var flags = VmFlags.DataDefault | VmFlags.Account | DefFlags;
        long pages = (long)(len >> PageShift);
        if (!MayExpandVm(flags, pages))
            return -(long)Errno.ENOMEM;
        if (MapCount >= Kernel.Config.MaxMapCount)
            return -(long)Errno.ENOMEM;
        if (!Kernel.VmEnoughMemory(this, pages))
            return -(long)Errno.ENOMEM;

        var m = new MergeRequest { Prev = vma, Start = addr, End = addr + len, Flags = flags, PgOff = addr >> PageShift, JustExpand = true };
        if (vma is not null && vma.End == addr && CanMergeAfter(m))
        {
            SetRange(vma, vma.Start, addr + len, vma.PgOff);
        }
        else
        {
            vma = new Vma(this, addr, addr + len, flags, addr >> PageShift, null);
            Vmas.Insert(vma);
        }
        TotalVm += pages;
        DataVm += pages;
        if ((flags & VmFlags.Locked) != 0)
            LockedVm += pages;
        return 0;
    }

    /// <summary>msync(2). Nothing is written back (shmem has no backing store); the checks and errors are Linux's.</summary>
    public long DoMsync(ulong start, ulong len, int flags)
    {
        if ((flags & ~(Msync.MS_ASYNC | Msync.MS_INVALIDATE | Msync.MS_SYNC)) != 0)
            return -(long)Errno.EINVAL;
        if ((start & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        if ((flags & Msync.MS_ASYNC) != 0 && (flags & Msync.MS_SYNC) != 0)
            return -(long)Errno.EINVAL;
        len = (len + PageSize - 1) & ~(PageSize - 1);
        ulong end = start + len;
        if (end < start)
            return -(long)Errno.ENOMEM;
        if (end == start)
            return 0;
        long unmappedError = 0;
        var vma = FindVma(start);
        while (true)
        {
            if (vma is null)
                return -(long)Errno.ENOMEM;
            if (start < vma.Start)
            {
                if (flags == Msync.MS_ASYNC)
                    return -(long)Errno.ENOMEM;
                start = vma.Start;
                if (start >= end)
                    return -(long)Errno.ENOMEM;
                unmappedError = -(long)Errno.ENOMEM;
            }
            if ((flags & Msync.MS_INVALIDATE) != 0 && (vma.Flags & VmFlags.Locked) != 0)
                return -(long)Errno.EBUSY;
            start = vma.End;
            if (start >= end)
                return unmappedError;
            vma = FindVma(vma.End);
        }
    }

    /// <summary>mincore(2): one byte per page, 1 if resident (mapped, or cached for file mappings), copied to vec.</summary>
    public long DoMincore(ulong start, ulong len, ulong vec)
    {
        if ((start & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        if (len > TaskSize || start > TaskSize - len)
            return -(long)Errno.ENOMEM;
        ulong pages = (len >> PageShift) + ((len & (PageSize - 1)) != 0 ? 1UL : 0);
        if (pages > TaskSize || vec > TaskSize - pages)
            return -(long)Errno.EFAULT;
        Span<byte> tmp = stackalloc byte[4096];
        while (pages > 0)
        {
            var vma = Vmas.Find(start);
            if (vma is null)
                return -(long)Errno.ENOMEM;
            ulong chunk = Math.Min(pages, 4096);
            ulong end = Math.Min(vma.End, start + (chunk << PageShift));
            int n = (int)((end - start) >> PageShift);
            for (int i = 0; i < n; i++)
                tmp[i] = MincorePage(vma, start + ((ulong)i << PageShift)) ? (byte)1 : (byte)0;
            if (!Owner.CopyToUser(vec, tmp[..n]))
                return -(long)Errno.EFAULT;
            pages -= (ulong)n;
            vec += (ulong)n;
            start += (ulong)n << PageShift;
        }
        return 0;
    }

    private bool MincorePage(Vma vma, ulong addr)
    {
        var pte = PageTables.Lookup(addr);
        if (pte.IsPresent)
            return true;
        // A swapped-out page is resident while the swap cache still holds it (mincore_swap()).
        if (pte.IsSwapEntry)
            return Swap.CachePfn(Mm.Swap.SwapEntry.FromPte(pte)) >= 0;
        // pte_none_mostly(): a marker counts as nothing mapped; the page cache may still have the page.
        if (pte.IsNoneMostly && vma.File is not null)
        {
            // mincore_page(): the page cache's page, or a swapped-out one the swap cache still holds.
            ulong index = vma.LinearPageIndex(addr);
            return vma.File.Find(index) >= 0 || (vma.File.TryGetSwap(index, out var entry) && Swap.CachePfn(entry) >= 0);
        }
        return false;
    }
}

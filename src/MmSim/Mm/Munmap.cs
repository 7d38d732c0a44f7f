using MmSim.Abi;

namespace MmSim.Mm;

/// <summary>
/// struct vma_munmap_struct: the VMAs gathered for an unmap, and what removing them will change, so that the
/// commit (<see cref="MmStruct.CompleteMunmap"/>) cannot fail.
/// </summary>
internal sealed class MunmapRequest
{
    public ulong Start;
    public ulong End;
    public Vma? Prev;
    public Vma? Next;
    public readonly List<Vma> Detached = [];
    public long NrPages;
    public long LockedVm;
    public long NrAccounted;
    public long ExecVm;
    public long StackVm;
    public long DataVm;
    /// <summary>Page tables were already cleared (mmap over an existing range does it before inserting).</summary>
    public bool PtesCleared;
    /// <summary>free_pgtables() floor: the end of the VMA before the range (FIRST_USER_ADDRESS if none).</summary>
    public ulong UnmapStart => Prev?.End ?? 0;
    /// <summary>free_pgtables() ceiling: the start of the VMA after the range (0, the top, if none).</summary>
    public ulong UnmapEnd => Next?.Start ?? 0;
}

// munmap, mirroring do_vmi_munmap() / vms_gather_munmap_vmas() / vms_complete_munmap_vmas() in mm/vma.c.
internal sealed partial class MmStruct
{
    /// <summary>do_vmi_munmap().</summary>
    public long DoMunmap(ulong start, ulong len)
    {
        if ((start & (PageSize - 1)) != 0 || start > TaskSize || len > TaskSize - start)
            return -(long)Errno.EINVAL;
        ulong end = start + PageAlign(len);
        if (end == start)
            return -(long)Errno.EINVAL;
        var vma = FindVmaIntersection(start, end);
        if (vma is null)
            return 0;
        return DoAlignMunmap(vma, start, end);
    }

    /// <summary>do_vmi_align_munmap(): Preconditions: vma is the first VMA intersecting [start, end).</summary>
    public long DoAlignMunmap(Vma vma, ulong start, ulong end)
    {
        var req = new MunmapRequest { Start = start, End = end };
        long err = GatherMunmap(req, vma);
        if (err != 0)
            return err;
        // Point of no return.
        CompleteMunmap(req);
        return 0;
    }

    /// <summary>
    /// vms_gather_munmap_vmas(): split the VMAs at the range's ends and detach those inside it from the tree.
    /// On failure nothing is detached, but a split already made stays, as on Linux.
    /// </summary>
    public long GatherMunmap(MunmapRequest req, Vma vma)
    {
        if (req.Start > vma.Start)
        {
            // Make sure map_count after munmap() will not exceed its limit (net +1 only when splitting in three).
            if (req.End < vma.End && MapCount >= Kernel.Config.MaxMapCount)
                return -(long)Errno.ENOMEM;
            SplitVma(vma, req.Start, newBelow: true);
        }
        req.Prev = Vmas.Prev(vma);

        for (var next = vma; next is not null && next.Start < req.End; next = Vmas.Next(next))
        {
            if (next.End > req.End)
                SplitVma(next, req.End, newBelow: false);
            Userfaultfd.UserfaultfdCtx.UnmapPrep(next, req.Start, req.End);
            req.Detached.Add(next);
            long n = (long)next.Pages;
            req.NrPages += n;
            if ((next.Flags & VmFlags.Locked) != 0)
                req.LockedVm += n;
            if ((next.Flags & VmFlags.Account) != 0)
                req.NrAccounted += n;
            if (IsExecMapping(next.Flags))
                req.ExecVm += n;
            else if (IsStackMapping(next.Flags))
                req.StackVm += n;
            else if (IsDataMapping(next.Flags))
                req.DataVm += n;
        }
        req.Next = Vmas.Next(req.Detached[^1]);
        foreach (var v in req.Detached)
            Vmas.Remove(v);
        return 0;
    }

    /// <summary>vms_abort_munmap_vmas() before the page tables were touched: put the VMAs back (still split).</summary>
    public void AbortMunmap(MunmapRequest req)
    {
        UnmergedNeighboursPossible = true;
        foreach (var v in req.Detached)
            Vmas.Insert(v);
        req.Detached.Clear();
    }

    /// <summary>vms_clear_ptes(): zap the detached VMAs' pages and free their page tables.</summary>
    public void ClearPtes(MunmapRequest req)
    {
        if (req.PtesCleared || req.Detached.Count == 0)
            return;
        UpdateHiwaterRss();
        foreach (var v in req.Detached)
            ZapRange(v, v.Start, v.End, ZapKind.Unmap);
        FreePgtables(req.Detached, req.UnmapStart, req.UnmapEnd);
        req.PtesCleared = true;
    }

    /// <summary>
    /// free_pgtables(): for each run of detached VMAs, free the page tables between floor and the next VMA,
    /// and unlink the VMAs from their anon_vmas and files.
    /// </summary>
    public void FreePgtables(List<Vma> vmas, ulong floor, ulong ceiling)
    {
        int i = 0;
        while (i < vmas.Count)
        {
            var vma = vmas[i];
            ulong addr = vma.Start;
            i++;
            // Coalesce VMAs whose page tables are close enough to free together.
            while (i < vmas.Count && vmas[i].Start <= vma.End + PageTables.PmdSize)
            {
                vma = vmas[i];
                i++;
            }
            ulong nextStart = i < vmas.Count ? vmas[i].Start : ceiling;
            PageTables.FreePgdRange(addr, vma.End, floor, nextStart);
        }
        foreach (var v in vmas)
            Rmap.Unlink(v);
    }

    /// <summary>vms_complete_munmap_vmas(): the point of no return. Accounting, zap, free.</summary>
    public void CompleteMunmap(MunmapRequest req)
    {
        LockedVm -= req.LockedVm;
        ClearPtes(req);
        UpdateHiwaterVm();
        TotalVm -= req.NrPages;
        ExecVm -= req.ExecVm;
        StackVm -= req.StackVm;
        DataVm -= req.DataVm;
        Kernel.VmUnacctMemory(req.NrAccounted);
        foreach (var v in req.Detached)
        {
            if (v.File is not null)
                Kernel.PutFile(v.File);
        }
        req.Detached.Clear();
    }
}

using MmSim.Userfaultfd;

namespace MmSim.Mm;

// fork and exit, mirroring dup_mmap() in kernel/fork.c and exit_mmap() in mm/mmap.c.
internal sealed partial class MmStruct
{
    /// <summary>
    /// dup_mmap(): copy this address space into child. VM_DONTCOPY VMAs are left out, VM_WIPEONFORK ones start
    /// empty, locks are not inherited, and private pages become copy-on-write. False on ENOMEM (overcommit).
    /// The caller collects userfaultfd events (<see cref="BeginUffdEvents"/>): the FORK events come from here.
    /// </summary>
    public bool DupMmap(MmStruct child)
    {
        // mm_alloc(): the child's PGD; the OOM killer may make room, or choose the parent.
        while (!child.PageTables.TryAllocPgd())
        {
            if (!Kernel.AllocSlowPath(Owner))
                return false;
        }
        child.MmapBase = MmapBase;
        child.StartBrk = StartBrk;
        child.Brk = Brk;
        child.StartStack = StartStack;
        child.DefFlags = DefFlags & VmFlags.NoHugePage;
        child.TotalVm = TotalVm;
        child.DataVm = DataVm;
        child.ExecVm = ExecVm;
        child.StackVm = StackVm;
        child.HiwaterRss = HiwaterRss;
        child.HiwaterVm = HiwaterVm;

        foreach (var vma in Vmas)
        {
            if ((vma.Flags & VmFlags.DontCopy) != 0)
            {
                child.VmStatAccount(vma.Flags, -(long)vma.Pages);
                continue;
            }
            if ((vma.Flags & VmFlags.Account) != 0 && !Kernel.VmEnoughMemory(this, (long)vma.Pages))
                return false;
            var copy = new Vma(child, vma.Start, vma.End, vma.Flags & ~VmFlags.LockedMask, vma.PgOff, vma.File);
            // The copy stays registered only with UFFD_FEATURE_EVENT_FORK, with a context of the child's; otherwise
            // its pieces stay split.
            UserfaultfdCtx.DupUserfaultfd(this, copy, vma.UffdCtx);
            if ((vma.Flags & VmFlags.WipeOnFork) == 0)
                Rmap.Fork(copy, vma);
            if (copy.File is not null)
                copy.File.Users++;
            child.Vmas.Insert(copy);
            // Out of memory even after the OOM killer: fork fails with ENOMEM. Stop at once: the killer may have
            // chosen this process, whose VMAs are gone now.
            if ((vma.Flags & VmFlags.WipeOnFork) == 0 && !child.CopyPageRange(copy, vma))
                return false;
        }
        // dup_mmap() never merges: dropping VM_LOCKED, or the anon_vma of a VM_WIPEONFORK VMA, can leave the
        // child with identical neighbours that Linux keeps apart.
        child.UnmergedNeighboursPossible = UnmergedNeighboursPossible;
        for (Vma? prev = null, v = child.Vmas.First; v is not null; prev = v, v = child.Vmas.Next(v))
        {
            if (prev is not null && WouldMerge(prev, v))
                child.UnmergedNeighboursPossible = true;
        }
        return true;
    }

    /// <summary>exit_mmap(): unmap and free everything.</summary>
    public void ExitMmap()
    {
        var all = new List<Vma>(Vmas.Count);
        foreach (var vma in Vmas)
            all.Add(vma);
        UpdateHiwaterRss();
        long accounted = 0;
        foreach (var vma in all)
        {
            ZapRange(vma, vma.Start, vma.End, ZapKind.Unmap);
            if ((vma.Flags & VmFlags.Account) != 0)
                accounted += (long)vma.Pages;
        }
        FreePgtables(all, 0, 0);
        foreach (var vma in all)
        {
            Vmas.Remove(vma);
            if (vma.File is not null)
                Kernel.PutFile(vma.File);
        }
        Kernel.VmUnacctMemory(accounted);
        TotalVm = DataVm = ExecVm = StackVm = LockedVm = LockedVmUnbacked = 0;
        PageTables.FreePgd();
    }
}

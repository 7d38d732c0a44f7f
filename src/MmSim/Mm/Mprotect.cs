using MmSim.Abi;

namespace MmSim.Mm;

// mprotect, mirroring do_mprotect_pkey(), mprotect_fixup() and change_protection() in mm/mprotect.c.
internal sealed partial class MmStruct
{
    public long DoMprotect(ulong start, ulong len, int prot)
    {
        int grows = prot & (Prot.PROT_GROWSDOWN | Prot.PROT_GROWSUP);
        prot &= ~(Prot.PROT_GROWSDOWN | Prot.PROT_GROWSUP);
        if (grows == (Prot.PROT_GROWSDOWN | Prot.PROT_GROWSUP))
            return -(long)Errno.EINVAL;
        if ((start & (PageSize - 1)) != 0)
            return -(long)Errno.EINVAL;
        if (len == 0)
            return 0;
        len = PageAlign(len);
        ulong end = start + len;
        if (end <= start)
            return -(long)Errno.ENOMEM;
        // arch_validate_prot() on x86 accepts only PROT_READ|WRITE|EXEC|SEM.
        if ((prot & ~(Prot.PROT_READ | Prot.PROT_WRITE | Prot.PROT_EXEC | Prot.PROT_SEM)) != 0)
            return -(long)Errno.EINVAL;

        var vma = FindVmaIntersection(start, end);
        if (vma is null)
            return -(long)Errno.ENOMEM;
        if ((grows & Prot.PROT_GROWSDOWN) != 0)
        {
            start = vma.Start;
            if ((vma.Flags & VmFlags.GrowsDown) == 0)
                return -(long)Errno.EINVAL;
        }
        else
        {
            if (vma.Start > start)
                return -(long)Errno.ENOMEM;
            if ((grows & Prot.PROT_GROWSUP) != 0)
                return -(long)Errno.EINVAL;
        }

        var prev = start > vma.Start ? vma : Vmas.Prev(vma);
        ulong nstart = start;
        ulong tmp = vma.Start;
        long error = 0;
        for (var cur = vma; cur is not null && cur.Start < end; )
        {
            if (cur.Start != tmp)
            {
                error = -(long)Errno.ENOMEM;
                break;
            }
            var newFlags = CalcVmProtBits(prot) | (cur.Flags & ~VmFlags.AccessFlags);
            // newflags >> 4 moves VM_MAY* onto VM_*: each requested permission needs its VM_MAY bit.
            if (((ulong)newFlags & ~((ulong)newFlags >> 4) & (ulong)VmFlags.AccessFlags) != 0)
            {
                error = -(long)Errno.EACCES;
                break;
            }
            tmp = Math.Min(cur.End, end);
            error = MprotectFixup(ref prev, cur, nstart, tmp, newFlags, out var fixedVma);
            if (error != 0)
                break;
            tmp = fixedVma.End;
            nstart = tmp;
            cur = Vmas.Next(fixedVma);
        }
        if (error == 0 && tmp < end)
            error = -(long)Errno.ENOMEM;
        return error;
    }

    /// <summary>
    /// mprotect_fixup(): apply newFlags to [start, end) of vma: accounting, merge or split, then the PTEs.
    /// On success <paramref name="result"/> is the VMA now covering the range.
    /// </summary>
    private long MprotectFixup(ref Vma? prev, Vma vma, ulong start, ulong end, VmFlags newFlags, out Vma result)
    {
        result = vma;
        var oldFlags = vma.Flags;
        long nrPages = (long)((end - start) >> PageShift);
        if (newFlags == oldFlags)
        {
            prev = vma;
            return 0;
        }

        long charged = 0;
        if ((newFlags & VmFlags.Write) != 0)
        {
            if (!MayExpandVm(newFlags, nrPages) && MayExpandVm(oldFlags, nrPages))
                return -(long)Errno.ENOMEM;
            if ((oldFlags & (VmFlags.Account | VmFlags.Write | VmFlags.HugeTlb | VmFlags.Shared | VmFlags.NoReserve)) == 0)
            {
                charged = nrPages;
                if (!Kernel.VmEnoughMemory(this, charged))
                    return -(long)Errno.ENOMEM;
                newFlags |= VmFlags.Account;
            }
        }
        else if ((oldFlags & VmFlags.Account) != 0 && vma.IsAnonymous && vma.AnonVma is null)
        {
            // An unfaulted anonymous VMA made read-only gives its commit back.
            newFlags &= ~VmFlags.Account;
        }

        var modified = VmaModifyFlags(prev, vma, start, end, newFlags);
        if (modified is null)
        {
            Kernel.VmUnacctMemory(charged);
            return -(long)Errno.ENOMEM;
        }
        prev = modified;
        result = modified;
        // vma_modify_flags() hands back the sticky flags a merge brought in.
        modified.Flags = newFlags | (modified.Flags & VmFlags.Sticky);
        ChangeProtection(modified, start, end);
        if ((oldFlags & VmFlags.Account) != 0 && (newFlags & VmFlags.Account) == 0)
            Kernel.VmUnacctMemory(nrPages);
        // A private VM_LOCKED VMA becoming writable: break COW now (populate_vma_page_range()).
        if ((oldFlags & (VmFlags.Write | VmFlags.Shared | VmFlags.Locked)) == VmFlags.Locked && (newFlags & VmFlags.Write) != 0)
            Populate(start, end);
        VmStatAccount(oldFlags, -nrPages);
        VmStatAccount(newFlags, nrPages);
        return 0;
    }

    /// <summary>
    /// change_protection(): rewrite the present PTEs of [start, end) for the VMA's new flags. PROT_NONE entries
    /// stay present-but-inaccessible; private mappings stay read-only (COW) except exclusive anonymous pages,
    /// which may become writable at once (can_change_pte_writable()).
    /// </summary>
    private void ChangeProtection(Vma vma, ulong start, ulong end)
    {
        bool none = (vma.Flags & VmFlags.AccessFlags) == 0;
        bool write = (vma.Flags & VmFlags.Write) != 0;
        bool shared = vma.IsShared;
        foreach (var span in PageTables.Walk(start, end))
        {
            var e = span.Table.Entries;
            for (int i = span.From; i <= span.To; i++)
            {
                var pte = new Pte(e[i]);
                if (!pte.IsPresent)
                    continue;
                ulong raw = pte.Raw & ~(Pte.Write | Pte.Present | Pte.ProtNone);
                raw |= none ? Pte.ProtNone : Pte.Present;
                // can_change_pte_writable(): never an entry protected for a VMA registered for WP. A shared VMA
                // registered for WP wants write notification, and vma_wants_manual_pte_write_upgrade() then asks
                // for no upgrade at all: its pages stay read-only, dirty ones too (measured on 6.18).
                bool wp = (vma.Flags & VmFlags.UffdWp) != 0;
                if (!none && write && !pte.IsSpecial && !(wp && pte.IsUffdWp))
                {
                    if (shared ? !wp
                        : (Phys.Flags(pte.Pfn) & (PageFlags.Anon | PageFlags.AnonExclusive)) == (PageFlags.Anon | PageFlags.AnonExclusive))
                        raw |= Pte.Write;
                }
                e[i] = raw;
            }
        }
    }
}

using System.Buffers.Binary;
using MmSim.Abi;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

// Write-protect mode: UFFDIO_WRITEPROTECT and uffd_wp_range() (mm/userfaultfd.c, mm/mprotect.c's change_protection()
// with MM_CP_UFFD_WP / MM_CP_UFFD_WP_RESOLVE). A protected page has _PAGE_UFFD_WP in its PTE and is read-only; a
// write to it in a VMA registered for WP goes to the monitor (do_wp_page()). A page not mapped is protected by a
// uffd-wp PTE marker where the VMA uses markers: always for shmem, for anonymous memory only with
// UFFD_FEATURE_WP_UNPOPULATED (or WP_ASYNC). Measured on 6.18: docs/kernel-notes-userfaultfd-wp.md.
internal sealed partial class UserfaultfdCtx
{
    /// <summary>
    /// userfaultfd_writeprotect(): struct uffdio_writeprotect {range {start, len}, mode}, never written back. Range
    /// and mode are checked (WP with DONTWAKE is EINVAL), then mwriteprotect_range(); a successful unprotect without
    /// DONTWAKE wakes the faults of the range on this context.
    /// </summary>
    private long WriteProtectIoctl(Process caller, UserPtr arg)
    {
        // An event in flight: EAGAIN before even reading the struct.
        if (MmapChanging > 0)
            return Err(Errno.EAGAIN);
        Span<byte> wp = stackalloc byte[24];
        if (!caller.CopyFromUser(arg, wp))
            return Err(Errno.EFAULT);
        ulong start = BinaryPrimitives.ReadUInt64LittleEndian(wp);
        ulong len = BinaryPrimitives.ReadUInt64LittleEndian(wp[8..]);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(wp[16..]);
        if (!ValidRange(start, len))
            return Err(Errno.EINVAL);
        if ((mode & ~(Uffd.UFFDIO_WRITEPROTECT_MODE_WP | Uffd.UFFDIO_WRITEPROTECT_MODE_DONTWAKE)) != 0)
            return Err(Errno.EINVAL);
        bool protect = (mode & Uffd.UFFDIO_WRITEPROTECT_MODE_WP) != 0;
        bool dontWake = (mode & Uffd.UFFDIO_WRITEPROTECT_MODE_DONTWAKE) != 0;
        if (protect && dontWake)
            return Err(Errno.EINVAL);
        if (!MmAlive)
            return Err(Errno.ESRCH);
        long ret = MwriteprotectRange(Mm, start, len, protect);
        if (ret != 0)
            return ret;
        if (!protect && !dontWake)
            WakeRange(start, len);
        return 0;
    }

    /// <summary>
    /// mwriteprotect_range(): every VMA of the range in address order, holes skipped; the first one not registered
    /// for WP (by any context) stops the walk with ENOENT, after the ones before it were changed. ENOENT too when
    /// no VMA at all. VMAs are never split.
    /// </summary>
    private static long MwriteprotectRange(MmStruct mm, ulong start, ulong len, bool protect)
    {
        ulong end = start + len;
        long err = -(long)Errno.ENOENT;
        for (var vma = mm.FindVmaIntersection(start, end); vma is not null && vma.Start < end; vma = mm.Vmas.Next(vma))
        {
            if ((vma.Flags & VmFlags.UffdWp) == 0)
                return -(long)Errno.ENOENT;
            if (!UffdWpRange(mm, vma, Math.Max(start, vma.Start), Math.Min(end, vma.End), protect))
                return -(long)Errno.ENOMEM;
            err = 0;
        }
        return err;
    }

    /// <summary>userfaultfd_wp_use_markers(): shmem always, anonymous memory only with WP_UNPOPULATED.</summary>
    internal static bool UsesMarkers(Vma vma) =>
        (vma.Flags & VmFlags.UffdWp) != 0
        && (!vma.IsAnonymous || vma.UffdCtx!.Has(Uffd.UFFD_FEATURE_WP_UNPOPULATED));

    /// <summary>
    /// uffd_wp_range(): protect or unprotect [start, end) of one VMA. Protecting sets _PAGE_UFFD_WP on present
    /// entries (making them read-only) and, where the VMA uses markers, puts a uffd-wp marker on empty ones,
    /// allocating the page tables for them. Unprotecting clears the bit (making the entry writable again where the
    /// write fault would have: can_change_pte_writable()) and removes uffd-wp markers. Poison and guard markers stay.
    /// False when a page table could not be allocated.
    /// </summary>
    internal static bool UffdWpRange(MmStruct mm, Vma vma, ulong start, ulong end, bool protect)
    {
        bool markers = protect && UsesMarkers(vma);
        bool writable = (vma.Flags & VmFlags.Write) != 0 && (vma.Flags & VmFlags.AccessFlags) != 0;
        var phys = mm.Phys;
        for (ulong addr = start; addr < end;)
        {
            ulong tableEnd = PageTables.AddrEnd(addr, end, PageTables.PmdSize);
            var table = markers ? mm.PteAlloc(addr, mm.Owner) : mm.PageTables.LookupPteTable(addr);
            if (table is null)
            {
                if (markers)
                    return false;
                addr = tableEnd;
                continue;
            }
            var e = table.Entries;
            for (int i = PageTables.PteIndex(addr); addr < tableEnd; addr += MmStruct.PageSize, i++)
            {
                var pte = new Pte(e[i]);
                if (pte.IsNone)
                {
                    if (markers)
                        e[i] = Pte.Marker(Pte.MarkerUffdWp).Raw;
                    continue;
                }
                if (pte.IsMarker)
                {
                    if (!protect && (pte.MarkerBits & Pte.MarkerUffdWp) != 0)
                        e[i] = 0;
                    continue;
                }
                if (!pte.IsPresent)
                {
                    // A swap entry keeps the protection in its _PAGE_SWP_UFFD_WP bit.
                    if (pte.IsSwapEntry)
                        e[i] = protect ? pte.Raw | Pte.SwpUffdWp : pte.Raw & ~Pte.SwpUffdWp;
                    continue;
                }
                if (protect)
                {
                    e[i] = pte.WithUffdWp().Raw;
                    continue;
                }
                pte = pte.WithoutUffdWp();
                // pte_modify() with the VMA's vm_page_prot, which in a shared VMA registered for WP wants write
                // notification: every page there is read-only afterwards, dirty ones too, for
                // vma_wants_manual_pte_write_upgrade() finds the protection already write-protected and asks for no
                // upgrade (measured on 6.18; found by fuzz).
                if (vma.IsShared)
                    pte = pte.WithoutWrite();
                // MM_CP_TRY_CHANGE_WRITABLE, private VMAs: an exclusive anonymous page becomes writable again.
                else if (writable && pte.IsAccessible && !pte.IsWrite && !pte.IsSpecial
                    && (phys.Flags(pte.Pfn) & (PageFlags.Anon | PageFlags.AnonExclusive)) == (PageFlags.Anon | PageFlags.AnonExclusive))
                    pte = pte.WithWrite();
                e[i] = pte.Raw;
            }
        }
        return true;
    }
}

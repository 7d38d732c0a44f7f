using System.Buffers.Binary;
using MmSim.Abi;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

/// <summary>
/// The range-filling userfaultfd operations, mirroring mm/userfaultfd.c (mfill_atomic() and friends): pages put
/// into a registered range by the monitor, each only where the page table has nothing yet, then the faults waiting
/// on them woken.
/// </summary>
internal static class Mfill
{
    private const ulong PageSize = MmStruct.PageSize;

    private enum Kind
    {
        Copy,
        Zeropage,
        Continue,
        Poison,
    }

    private static long Err(Errno e) => -(long)e;

    /// <summary>
    /// userfaultfd_copy(): struct uffdio_copy {dst, src, len, mode, copy}. Validation errors leave copy alone;
    /// otherwise copy gets the bytes done (the return is 0, or EAGAIN when fewer than len) or the -errno of the
    /// first page.
    /// </summary>
    public static long CopyIoctl(UserfaultfdCtx ctx, Process caller, UserPtr arg)
    {
        if (ctx.MmapChanging > 0)
            return MmapChanging(caller, arg.Plus(32));
        Span<byte> head = stackalloc byte[32];
        if (!caller.CopyFromUser(arg, head))
            return Err(Errno.EFAULT);
        ulong dst = BinaryPrimitives.ReadUInt64LittleEndian(head);
        ulong src = BinaryPrimitives.ReadUInt64LittleEndian(head[8..]);
        ulong len = BinaryPrimitives.ReadUInt64LittleEndian(head[16..]);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(head[24..]);
        if (!UserfaultfdCtx.ValidRange(dst, len) || !UserfaultfdCtx.ValidUnalignedRange(src, len))
            return Err(Errno.EINVAL);
        if ((mode & ~(Uffd.UFFDIO_COPY_MODE_DONTWAKE | Uffd.UFFDIO_COPY_MODE_WP)) != 0)
            return Err(Errno.EINVAL);
        if (!ctx.MmAlive)
            return Err(Errno.ESRCH);
        long done = Atomic(ctx, caller, Kind.Copy, dst, src, len, wp: (mode & Uffd.UFFDIO_COPY_MODE_WP) != 0);
        return Finish(ctx, caller, arg.Plus(32), done, dst, len, dontWake: (mode & Uffd.UFFDIO_COPY_MODE_DONTWAKE) != 0);
    }

    /// <summary>userfaultfd_zeropage(): struct uffdio_zeropage {range {start, len}, mode, zeropage}.</summary>
    public static long ZeropageIoctl(UserfaultfdCtx ctx, Process caller, UserPtr arg) =>
        RangeIoctl(ctx, caller, arg, Kind.Zeropage, Uffd.UFFDIO_ZEROPAGE_MODE_DONTWAKE, wpMode: 0);

    /// <summary>
    /// userfaultfd_continue(): struct uffdio_continue {range {start, len}, mode, mapped}. Maps the pages the shmem page
    /// cache already has (a MINOR fault's page) without copying; a page the cache lacks is EFAULT.
    /// </summary>
    public static long ContinueIoctl(UserfaultfdCtx ctx, Process caller, UserPtr arg) =>
        RangeIoctl(ctx, caller, arg, Kind.Continue, Uffd.UFFDIO_CONTINUE_MODE_DONTWAKE, Uffd.UFFDIO_CONTINUE_MODE_WP);

    /// <summary>
    /// userfaultfd_poison(): struct uffdio_poison {range {start, len}, mode, updated}. Each empty page of the range gets a
    /// poison marker (an access is SIGBUS); no UFFD_FEATURE_POISON is needed, any registered VMA will do.
    /// </summary>
    public static long PoisonIoctl(UserfaultfdCtx ctx, Process caller, UserPtr arg) =>
        RangeIoctl(ctx, caller, arg, Kind.Poison, Uffd.UFFDIO_POISON_MODE_DONTWAKE, wpMode: 0);

    /// <summary>
    /// The ioctls whose struct is {range {start, len}, mode, result}: the range checks, the mode (DONTWAKE, and WP
    /// where the command has it), then the operation and its result.
    /// </summary>
    private static long RangeIoctl(UserfaultfdCtx ctx, Process caller, UserPtr arg, Kind kind, ulong dontWakeMode, ulong wpMode)
    {
        if (ctx.MmapChanging > 0)
            return MmapChanging(caller, arg.Plus(24));
        Span<byte> head = stackalloc byte[24];
        if (!caller.CopyFromUser(arg, head))
            return Err(Errno.EFAULT);
        ulong start = BinaryPrimitives.ReadUInt64LittleEndian(head);
        ulong len = BinaryPrimitives.ReadUInt64LittleEndian(head[8..]);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(head[16..]);
        if (!UserfaultfdCtx.ValidRange(start, len))
            return Err(Errno.EINVAL);
        if ((mode & ~(dontWakeMode | wpMode)) != 0)
            return Err(Errno.EINVAL);
        if (!ctx.MmAlive)
            return Err(Errno.ESRCH);
        long done = Atomic(ctx, caller, kind, start, 0, len, wp: (mode & wpMode) != 0);
        return Finish(ctx, caller, arg.Plus(24), done, start, len, dontWake: (mode & dontWakeMode) != 0);
    }

    /// <summary>
    /// An event of this context is in flight (ctx->mmap_changing): before anything else, -EAGAIN goes into the
    /// result field (EFAULT if it cannot) and the call is EAGAIN.
    /// </summary>
    internal static long MmapChanging(Process caller, UserPtr result)
    {
        Span<byte> out8 = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(out8, -(long)Errno.EAGAIN);
        return caller.CopyToUser(result, out8) ? Err(Errno.EAGAIN) : Err(Errno.EFAULT);
    }

    /// <summary>
    /// The common tail: put_user() of the result (a failure is EFAULT, the pages stay), then wake the faults of the
    /// range filled unless DONTWAKE.
    /// </summary>
    internal static long Finish(UserfaultfdCtx ctx, Process caller, UserPtr result, long done, ulong start, ulong len, bool dontWake)
    {
        Span<byte> out8 = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(out8, done);
        if (!caller.CopyToUser(result, out8))
            return Err(Errno.EFAULT);
        if (done < 0)
            return done;
        if (!dontWake)
            ctx.WakeRange(start, (ulong)done);
        return (ulong)done == len ? 0 : Err(Errno.EAGAIN);
    }

    /// <summary>
    /// mfill_atomic(): the whole destination range must lie in one VMA registered with some userfaultfd (ENOENT);
    /// then page by page, stopping at the first failure. Returns the bytes done, or -errno when the first page failed.
    /// </summary>
    private static long Atomic(UserfaultfdCtx ctx, Process caller, Kind kind, ulong dst, ulong src, ulong len, bool wp)
    {
        var mm = ctx.Mm;
        var vma = mm.FindVma(dst);
        // find_vma_and_prepare_anon(): a private VMA at dst gets its anon_vma before anything is checked, so even an
        // ioctl that fails leaves it (and mprotect() read-only then keeps VM_ACCOUNT, as on 6.18).
        if (vma is not null && vma.Start <= dst && !vma.IsShared)
            Rmap.Prepare(vma);
        // find_dst_vma(): any context will do, not only this one.
        if (vma is null || vma.Start > dst || dst + len > vma.End || vma.UffdCtx is null)
            return Err(Errno.ENOENT);
        if (wp && (vma.Flags & VmFlags.UffdWp) == 0)
            return Err(Errno.EINVAL);
        // CONTINUE maps page-cache pages: shmem only.
        if (kind == Kind.Continue && vma.IsAnonymous)
            return Err(Errno.EINVAL);

        Span<byte> bounce = stackalloc byte[(int)PageSize];
        long done = 0;
        // Page by page, one PTE table at a time (mfill_atomic() takes each pmd once per page; the walk is the same).
        for (ulong addr = dst; addr < dst + len;)
        {
            var table = mm.PteAlloc(addr, mm.Owner);
            if (table is null)
                return done > 0 ? done : Err(Errno.ENOMEM);
            ulong tableEnd = Math.Min(PageTables.AddrEnd(addr, dst + len, PageTables.PmdSize), dst + len);
            if (kind == Kind.Continue)
            {
                long mapped = ContinueTable(mm, vma, table, PageTables.PteIndex(addr), addr, tableEnd, wp);
                if (mapped < 0)
                    return done > 0 ? done : mapped;
                done += mapped;
                if (addr + (ulong)mapped < tableEnd)
                    return done;
                addr = tableEnd;
                continue;
            }
            for (int idx = PageTables.PteIndex(addr); addr < tableEnd; addr += PageSize, idx++)
            {
                long err = kind switch
                {
                    Kind.Copy => CopyPage(mm, caller, vma, table, idx, addr, src + (addr - dst), bounce),
                    Kind.Poison => PoisonPage(vma, table, idx, addr),
                    _ => ZeroPage(mm, vma, table, idx, addr),
                };
                if (err < 0)
                    return done > 0 ? done : err;
                // MFILL_ATOMIC_WP: the page is installed write-protected (pte_mkuffd_wp()).
                if (wp)
                    table.Entries[idx] = new Pte(table.Entries[idx]).WithUffdWp().Raw;
                done += (long)PageSize;
            }
        }
        return done;
    }

    /// <summary>
    /// mfill_atomic_pte_copy() / shmem_mfill_atomic_pte(): the source page is read first, from the caller's memory
    /// (EFAULT); then a shared shmem VMA gets a new page-cache page (EFAULT past the end of the file, EEXIST if the
    /// cache has one), any other VMA a new exclusive anonymous page; the PTE must be empty (EEXIST).
    /// </summary>
    private static long CopyPage(MmStruct mm, Process caller, Vma vma, PteTable table, int idx, ulong dst, ulong src, Span<byte> bounce)
    {
        // copy_from_user() of the source page: a page-aligned source is read straight from its frame.
        // The source frame is held meanwhile: reclaim, run by the allocation of the new page, may unmap it.
        if ((src & (PageSize - 1)) == 0 && caller.Mm is { } srcMm
            && !srcMm.AccessPage(src, write: false, out int srcPfn, user: false).Faulted)
        {
            if (srcPfn != PhysicalMemory.ZeroPfn)
                mm.Phys.Get(srcPfn);
            long r = InstallPage(mm, vma, table, idx, dst, mm.Phys.Data(srcPfn));
            mm.Phys.Put(srcPfn);
            return r;
        }
        if (!caller.CopyFromUser(UserPtr.At(src), bounce))
            return Err(Errno.EFAULT);
        return InstallPage(mm, vma, table, idx, dst, bounce);
    }

    /// <summary>mfill_file_over_size(): dst lies past the end of the VMA's file (never for anonymous memory).</summary>
    private static bool OverSize(Vma vma, ulong dst) =>
        vma.File is { } file && (long)vma.LinearPageIndex(dst) >= (file.Size + (long)PageSize - 1) >> MmStruct.PageShift;

    private static long InstallPage(MmStruct mm, Vma vma, PteTable table, int idx, ulong dst, ReadOnlySpan<byte> data)
    {
        var phys = mm.Phys;
        // Past the end of the file, private mapping or shared, nothing is filled.
        if (OverSize(vma, dst))
            return Err(Errno.EFAULT);
        if (vma.IsShared)
        {
            var file = vma.File!;
            ulong index = vma.LinearPageIndex(dst);
            // The cache must not have the page; the PTE may hold a marker (pte_none_mostly()), which is replaced.
            if (file.Find(index) >= 0 || file.TryGetSwap(index, out _) || !new Pte(table.Entries[idx]).IsNoneMostly)
                return Err(Errno.EEXIST);
            if (mm.ShmemAddPage(file, index, out int cached, zero: data.IsEmpty) != FaultError.None)
                return Err(Errno.ENOMEM);
            if (!data.IsEmpty)
                data.CopyTo(phys.Data(cached));
            // The PTE is made dirty; the folio is not (another mapping of it sees a clean page: measured on 6.18).
            phys.Get(cached);
            phys.MapCount(cached)++;
            table.Entries[idx] = MakePte(vma, cached, writable: (vma.Flags & VmFlags.Write) != 0);
            mm.AddRss(cached, 1);
            if ((vma.Flags & VmFlags.Locked) != 0)
                mm.MlockFolio(cached);
            return 0;
        }

        if (!new Pte(table.Entries[idx]).IsNoneMostly)
            return Err(Errno.EEXIST);
        var anonVma = Rmap.Prepare(vma);
        if (!mm.AllocPage(out int pfn, zero: false))
            return Err(Errno.ENOMEM);
        data.CopyTo(phys.Data(pfn));
        mm.NewAnonRmap(pfn, anonVma, vma.LinearPageIndex(dst), vma);
        table.Entries[idx] = MakePte(vma, pfn, writable: (vma.Flags & VmFlags.Write) != 0);
        mm.RssAnon++;
        return 0;
    }

    /// <summary>
    /// mfill_atomic_pte_zeropage(): a private VMA maps the shared zero page (no RSS); a shared shmem VMA gets a
    /// zero-filled page-cache page, as shmem_mfill_atomic_pte() with a zeroed folio does.
    /// </summary>
    private static long ZeroPage(MmStruct mm, Vma vma, PteTable table, int idx, ulong dst)
    {
        if (vma.IsShared)
            return InstallPage(mm, vma, table, idx, dst, []);
        if (OverSize(vma, dst))
            return Err(Errno.EFAULT);
        // mfill_atomic_pte_zeropage() wants pte_none(): a marker (uffd-wp or poison) is EEXIST here.
        if (table.Entries[idx] != 0)
            return Err(Errno.EEXIST);
        ulong raw = Pte.Make(PhysicalMemory.ZeroPfn, Pte.Special).Raw;
        table.Entries[idx] = (vma.Flags & VmFlags.AccessFlags) == 0 ? (raw & ~Pte.Present) | Pte.ProtNone : raw;
        return 0;
    }

    /// <summary>
    /// mfill_atomic_pte_poison(): a poison marker where nothing is (pte_none(): any marker or page is EEXIST); EFAULT
    /// past the end of the file. No RSS, and the shmem cache keeps its page.
    /// </summary>
    private static long PoisonPage(Vma vma, PteTable table, int idx, ulong dst)
    {
        if (OverSize(vma, dst))
            return Err(Errno.EFAULT);
        if (table.Entries[idx] != 0)
            return Err(Errno.EEXIST);
        table.Entries[idx] = Pte.Marker(Pte.MarkerPoisoned).Raw;
        return 0;
    }

    /// <summary>
    /// mfill_atomic_pte_continue() over the pages of one PTE table, [addr, end): each page is the one the shmem cache
    /// has at its index (EFAULT when none), mapped writable in a shared VMA and read-only in a private one, as a read
    /// fault would map it; a PTE already set is EEXIST. Returns the bytes mapped before the first failure, or the
    /// -errno of the first page.
    /// </summary>
    private static long ContinueTable(MmStruct mm, Vma vma, PteTable table, int idx, ulong addr, ulong end, bool wp)
    {
        var file = vma.File!;
        var phys = mm.Phys;
        ulong filePages = (ulong)((file.Size + (long)PageSize - 1) >> MmStruct.PageShift);
        bool writable = vma.IsShared && (vma.Flags & VmFlags.Write) != 0;
        bool locked = (vma.Flags & VmFlags.Locked) != 0;
        ulong index = vma.LinearPageIndex(addr);
        ReadOnlySpan<int> chunk = file.ChunkOf(index);
        long done = 0, err = 0;
        for (; addr < end; addr += PageSize, idx++, index++)
        {
            if ((index & (ShmemFile.ChunkPages - 1)) == 0)
                chunk = file.ChunkOf(index);
            // shmem_get_folio(SGP_NOALLOC): EINVAL past the end of the file, no folio (EFAULT) in a hole.
            if (index >= filePages)
            {
                err = Err(Errno.EINVAL);
                break;
            }
            int pfn = chunk.Length > 0 ? chunk[(int)(index & (ShmemFile.ChunkPages - 1))] - 1 : -1;
            // A swapped-out page is read back first (shmem_swapin_folio()).
            if (pfn < 0 && file.TryGetSwap(index, out var entry))
            {
                if (mm.Kernel.ShmemSwapin(file, index, entry, mm.Owner, out pfn) != FaultError.None)
                {
                    err = Err(Errno.ENOMEM);
                    break;
                }
                chunk = file.ChunkOf(index);
            }
            if (pfn < 0)
            {
                err = Err(Errno.EFAULT);
                break;
            }
            if (!new Pte(table.Entries[idx]).IsNoneMostly)
            {
                err = Err(Errno.EEXIST);
                break;
            }
            phys.Get(pfn);
            phys.MapCount(pfn)++;
            table.Entries[idx] = wp ? new Pte(MakePte(vma, pfn, writable)).WithUffdWp().Raw : MakePte(vma, pfn, writable);
            if (locked)
                mm.MlockFolio(pfn);
            done += (long)PageSize;
        }
        // Every page here is shmem: one RSS update for the lot.
        mm.RssShmem += done >> MmStruct.PageShift;
        return done > 0 || err == 0 ? done : err;
    }

    /// <summary>
    /// mfill_atomic_install_pte()'s entry: young and dirty, writable when the VMA is, PROT_NONE when the VMA
    /// allows no access (mk_pte() with vm_page_prot).
    /// </summary>
    private static ulong MakePte(Vma vma, int pfn, bool writable)
    {
        ulong raw = Pte.Make(pfn, Pte.Accessed | Pte.Dirty | (writable ? Pte.Write : 0)).Raw;
        return (vma.Flags & VmFlags.AccessFlags) == 0 ? (raw & ~(Pte.Present | Pte.Write)) | Pte.ProtNone : raw;
    }
}

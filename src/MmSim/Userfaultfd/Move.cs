using System.Buffers.Binary;
using MmSim.Abi;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

/// <summary>
/// UFFDIO_MOVE, mirroring mm/userfaultfd.c's move_pages(): anonymous pages move from one place to another of the
/// context's own mm, the same frame remapped rather than copied. Measured on 6.18: docs/kernel-notes-userfaultfd-events.md,
/// section 7.
/// </summary>
internal static class Move
{
    private const ulong PageSize = MmStruct.PageSize;

    private static long Err(Errno e) => -(long)e;

    /// <summary>
    /// userfaultfd_move(): struct uffdio_move {dst, src, len, mode, move}. Only the mm's own tasks may move (EINVAL
    /// elsewhere, or once the mm is gone); then range and mode checks (move untouched), then move_pages(), whose
    /// result goes into move; the moved range's faults are woken unless DONTWAKE.
    /// </summary>
    public static long MoveIoctl(UserfaultfdCtx ctx, Process caller, UserPtr arg)
    {
        if (ctx.MmapChanging > 0)
            return Mfill.MmapChanging(caller, arg.Plus(32));
        Span<byte> head = stackalloc byte[32];
        if (!caller.CopyFromUser(arg, head))
            return Err(Errno.EFAULT);
        if (caller.Mm != ctx.Mm || !ctx.MmAlive)
            return Err(Errno.EINVAL);
        ulong dst = BinaryPrimitives.ReadUInt64LittleEndian(head);
        ulong src = BinaryPrimitives.ReadUInt64LittleEndian(head[8..]);
        ulong len = BinaryPrimitives.ReadUInt64LittleEndian(head[16..]);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(head[24..]);
        if (!UserfaultfdCtx.ValidRange(dst, len) || !UserfaultfdCtx.ValidRange(src, len))
            return Err(Errno.EINVAL);
        if ((mode & ~(Uffd.UFFDIO_MOVE_MODE_DONTWAKE | Uffd.UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES)) != 0)
            return Err(Errno.EINVAL);
        long moved = MovePages(ctx, dst, src, len, holes: (mode & Uffd.UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES) != 0);
        return Mfill.Finish(ctx, caller, arg.Plus(32), moved, dst, len, dontWake: (mode & Uffd.UFFDIO_MOVE_MODE_DONTWAKE) != 0);
    }

    /// <summary>
    /// move_pages(): both VMAs are looked up (dst first, ENOENT; dst given an anon_vma); then validate_move_areas()
    /// (EINVAL): private, each range inside its VMA, same access flags and mlock state, writable, dst registered with
    /// this context, both anonymous. Then page by page in address order, with no overlap check. Returns the bytes
    /// moved, or the -errno of the first page.
    /// </summary>
    private static long MovePages(UserfaultfdCtx ctx, ulong dst, ulong src, ulong len, bool holes)
    {
        var mm = ctx.Mm;
        // uffd_move_lock(): find_vma_and_prepare_anon() for dst (a private VMA gets its anon_vma even if the move then
        // fails); a plain lookup for src.
        var dstVma = mm.FindVma(dst);
        if (dstVma is null || dstVma.Start > dst)
            return Err(Errno.ENOENT);
        if (!dstVma.IsShared)
            Rmap.Prepare(dstVma);
        var srcVma = mm.FindVma(src);
        if (srcVma is null || srcVma.Start > src)
            return Err(Errno.ENOENT);
        if (srcVma.IsShared || dstVma.IsShared || src + len > srcVma.End || dst + len > dstVma.End)
            return Err(Errno.EINVAL);
        const VmFlags Unmovable = VmFlags.PfnMap | VmFlags.Io | VmFlags.HugeTlb | VmFlags.MixedMap;
        if ((srcVma.Flags & VmFlags.AccessFlags) != (dstVma.Flags & VmFlags.AccessFlags)
            || (srcVma.Flags & VmFlags.Locked) != (dstVma.Flags & VmFlags.Locked)
            || (srcVma.Flags & VmFlags.Write) == 0
            || ((srcVma.Flags | dstVma.Flags) & Unmovable) != 0
            || dstVma.UffdCtx != ctx
            || !srcVma.IsAnonymous || !dstVma.IsAnonymous)
            return Err(Errno.EINVAL);

        long moved = 0;
        for (ulong done = 0; done < len; done += PageSize)
        {
            long err = MovePage(mm, dstVma, dst + done, src + done, holes);
            if (err < 0)
                return moved > 0 ? moved : err;
            moved += (long)PageSize;
        }
        return moved;
    }

    /// <summary>
    /// One page: the src page table is needed (ENOENT, or allocated with ALLOW_SRC_HOLES), the dst one is allocated;
    /// then move_pages_pte(): the dst entry must be none (EEXIST), the src one present (ENOENT for none, a hole that
    /// counts as moved with ALLOW_SRC_HOLES; EFAULT for a marker), and its page exclusive to this mapping (EBUSY).
    /// The frame moves to dst, writable and young, with its rmap moved to dst's anon_vma.
    /// </summary>
    private static long MovePage(MmStruct mm, Vma dstVma, ulong dst, ulong src, bool holes)
    {
        var srcTable = mm.PageTables.LookupPteTable(src);
        if (srcTable is null)
        {
            if (!holes)
                return Err(Errno.ENOENT);
            srcTable = mm.PteAlloc(src, mm.Owner);
            if (srcTable is null)
                return Err(Errno.ENOMEM);
        }
        var dstTable = mm.PteAlloc(dst, mm.Owner);
        if (dstTable is null)
            return Err(Errno.ENOMEM);
        // The dst table's allocation may have been the src one's too (and neither moves), so look src up again.
        srcTable = mm.PageTables.LookupPteTable(src)!;
        ref ulong dstEntry = ref dstTable.Entries[PageTables.PteIndex(dst)];
        ref ulong srcEntry = ref srcTable.Entries[PageTables.PteIndex(src)];
        if (dstEntry != 0)
            return Err(Errno.EEXIST);
        var pte = new Pte(srcEntry);
        if (pte.IsNone)
            return holes ? 0 : Err(Errno.ENOENT);
        if (!pte.IsPresent)
        {
            // move_swap_pte(): an exclusive swap entry moves as it is; a folio the swap cache holds for it gets dst's
            // anon_vma and index. A shared entry is EBUSY, a marker EFAULT.
            if (!pte.IsSwapEntry)
                return Err(Errno.EFAULT);
            if (!pte.IsSwpExclusive)
                return Err(Errno.EBUSY);
            int cached = mm.Swap.CachePfn(Mm.Swap.SwapEntry.FromPte(pte));
            if (cached >= 0)
            {
                if ((mm.Phys.Flags(cached) & PageFlags.Anon) != 0)
                    mm.Phys.Owner(cached) = dstVma.AnonVma;
                mm.Phys.Index(cached) = dstVma.LinearPageIndex(dst);
            }
            srcEntry = 0;
            dstEntry = pte.Raw;
            return 0;
        }
        if (pte.IsSpecial)
        {
            // move_zeropage_pte()
            srcEntry = 0;
            dstEntry = Pte.Make(PhysicalMemory.ZeroPfn, Pte.Special).Raw;
            return 0;
        }
        int pfn = pte.Pfn;
        ref var flags = ref mm.Phys.Flags(pfn);
        if ((flags & PageFlags.AnonExclusive) == 0)
            return Err(Errno.EBUSY);
        // move_present_pte(): folio_move_anon_rmap() and the new index; the entry is rebuilt for dst, dirty if it was.
        srcEntry = 0;
        mm.Phys.Owner(pfn) = dstVma.AnonVma;
        mm.Phys.Index(pfn) = dstVma.LinearPageIndex(dst);
        dstEntry = Pte.Make(pfn, Pte.Accessed | Pte.Write | (pte.IsDirty ? Pte.Dirty : 0)).Raw;
        return 0;
    }
}

using System.Runtime.CompilerServices;
using MmSim.Abi;

namespace MmSim.Mm;

/// <summary>Why a fault could not be resolved (the VM_FAULT_* error bits that matter to the model).</summary>
internal enum FaultError
{
    None,
    /// <summary>No VMA, or the stack could not grow: SIGSEGV/SEGV_MAPERR.</summary>
    MapErr,
    /// <summary>The VMA forbids the access: SIGSEGV/SEGV_ACCERR.</summary>
    AccErr,
    /// <summary>VM_FAULT_SIGBUS: e.g. past the end of a shmem file.</summary>
    SigBus,
    /// <summary>
    /// VM_FAULT_HWPOISON: a poisoned page (a UFFDIO_POISON marker). An access gets SIGBUS/BUS_ADRERR (without
    /// CONFIG_MEMORY_FAILURE); GUP, and so MADV_POPULATE_*, reports EHWPOISON.
    /// </summary>
    HwPoison,
    /// <summary>VM_FAULT_OOM: no frame could be had even after the OOM killer ran.</summary>
    Oom,
    /// <summary>VM_FAULT_RETRY after handle_userfault() queued the fault: the task sleeps until woken, then retries.</summary>
    Blocked,
    /// <summary>VM_FAULT_NOPAGE with nothing done (a released userfaultfd): retry the fault at once.</summary>
    Retry,
}

/// <summary>Why a range is zapped (struct zap_details), which decides what happens to PTE markers.</summary>
internal enum ZapKind
{
    /// <summary>madvise(MADV_DONTNEED) and truncation: guard markers stay, uffd-wp ones are kept in file VMAs.</summary>
    Advice,

    /// <summary>munmap() and exit (ZAP_FLAG_DROP_MARKER): everything goes.</summary>
    Unmap,

    /// <summary>
    /// A shmem hole punch (unmap_mapping_range() with even_cows = 0): as <see cref="Advice"/>, but private
    /// copy-on-write copies of the file's pages stay.
    /// </summary>
    Punch,
}

// Page faults, zapping and fork's page-table copy, mirroring mm/memory.c.
internal sealed partial class MmStruct
{
    internal PhysicalMemory Phys => Kernel.Phys;

    /// <summary>The RSS counter a mapped frame is charged to (mm_counter()).</summary>
    internal void AddRss(int pfn, long delta)
    {
        var flags = Phys.Flags(pfn);
        if ((flags & PageFlags.Anon) != 0)
            RssAnon += delta;
        else if ((flags & PageFlags.SwapBacked) != 0)
            RssShmem += delta;
        else
            RssFile += delta;
    }

    // The fault in progress, as struct vm_fault has them: the exact address (real_address) and whether the access
    // came from user mode (FAULT_FLAG_USER) rather than from the kernel on the task's behalf (copy_to_user, GUP).
    private ulong _vmfRealAddress;
    private bool _vmfUser;
    // vmf_orig_pte_uffd_wp(): the fault is on a uffd-wp marker, so the page it maps keeps the protection.
    private bool _vmfUffdWp;

    /// <summary>
    /// handle_mm_fault() after lock_mm_and_find_vma() and access_error(): resolve one fault at addr, from user mode
    /// unless <paramref name="user"/> is false.
    /// </summary>
    public FaultError HandleFault(ulong addr, bool write, bool user = true)
    {
        _vmfRealAddress = addr;
        _vmfUser = user;
        var vma = FindVma(addr);
        if (vma is null)
            return FaultError.MapErr;
        if (vma.Start > addr)
        {
            if ((vma.Flags & VmFlags.GrowsDown) == 0 || ExpandDownwards(vma, addr) != 0)
                return FaultError.MapErr;
        }
        // access_error() on x86: a write needs VM_WRITE; a read needs any of read, write, exec.
        if (write ? (vma.Flags & VmFlags.Write) == 0 : (vma.Flags & VmFlags.AccessFlags) == 0)
            return FaultError.AccErr;
        return HandlePteFault(vma, addr & ~(PageSize - 1), write);
    }

    private FaultError HandlePteFault(Vma vma, ulong addr, bool write)
    {
        var table = PteAlloc(addr, Owner);
        if (table is null)
            return FaultError.Oom;
        int idx = PageTables.PteIndex(addr);
        var pte = new Pte(table.Entries[idx]);
        _vmfUffdWp = false;
        if (pte.IsNone)
            return DoPteMissing(vma, table, idx, addr, write);
        if (!pte.IsPresent)
            return pte.IsMarker ? HandlePteMarker(vma, table, idx, addr, write, pte) : DoSwapPage(vma, table, idx, addr, write, pte);
        if (!pte.IsAccessible)
        {
            // A PROT_NONE entry in a VMA that allows the access again: mprotect() restores entries, so only a
            // racing change could leave one; make it accessible as change_protection() would.
            table.Entries[idx] = (pte.Raw & ~Pte.ProtNone) | Pte.Present;
            return HandlePteFault(vma, addr, write);
        }
        if (write && !pte.IsWrite)
            return DoWpPage(vma, table, idx, addr, pte);
        // Spurious fault: the hardware would have succeeded.
        table.Entries[idx] = pte.WithYoung().Raw;
        return FaultError.None;
    }

    /// <summary>do_pte_missing(): nothing mapped here yet.</summary>
    private FaultError DoPteMissing(Vma vma, PteTable table, int idx, ulong addr, bool write) =>
        vma.IsAnonymous ? DoAnonymousPage(vma, table, idx, addr, write) : DoFault(vma, table, idx, addr, write);

    /// <summary>
    /// handle_pte_marker(): a poisoned page is SIGBUS (VM_FAULT_HWPOISON, BUS_ADRERR without CONFIG_MEMORY_FAILURE), a
    /// guard page SIGSEGV. A uffd-wp marker is a missing page that was write-protected: faulted in as one, the page
    /// keeps the protection; in a VMA no longer registered for WP it is just cleared (pte_marker_clear()), and the
    /// access retries.
    /// </summary>
    private FaultError HandlePteMarker(Vma vma, PteTable table, int idx, ulong addr, bool write, Pte pte)
    {
        ulong marker = pte.MarkerBits;
        if ((marker & Pte.MarkerPoisoned) != 0)
            return FaultError.HwPoison;
        if ((marker & Pte.MarkerGuard) != 0)
            return FaultError.MapErr;
        if ((marker & Pte.MarkerUffdWp) == 0)
            return FaultError.SigBus;
        if ((vma.Flags & VmFlags.UffdWp) == 0)
        {
            table.Entries[idx] = 0;
            return FaultError.Retry;
        }
        _vmfUffdWp = true;
        return DoPteMissing(vma, table, idx, addr, write);
    }

    /// <summary>Gets a zeroed frame, running the OOM killer when RAM is exhausted (out_of_memory()).</summary>
    internal bool AllocPage(out int pfn, bool zero)
    {
        while (true)
        {
            if (zero ? Phys.TryAllocZeroed(out pfn) : Phys.TryAlloc(out pfn))
                return true;
            if (!Kernel.AllocSlowPath(Owner))
                return false;
        }
    }

    /// <summary>
    /// pte_alloc(): the PTE table for addr, with the tables above it, each taking a frame of RAM; the OOM killer
    /// runs when RAM is exhausted. Null when no frame could be had: <paramref name="current"/>, on whose behalf
    /// the tables are allocated, was killed.
    /// </summary>
    internal PteTable? PteAlloc(ulong addr, Process current)
    {
        while (true)
        {
            if (PageTables.TryAllocPteTable(addr) is { } table)
                return table;
            if (!Kernel.AllocSlowPath(current))
                return null;
        }
    }

    /// <summary>
    /// handle_userfault() for <paramref name="vma"/>'s context: the fault goes to the monitor (or is SIGBUS), and the
    /// current task blocks.
    /// </summary>
    private FaultError HandleUserfault(Vma vma, ulong addr, bool write, VmFlags reason) =>
        vma.UffdCtx!.HandleUserfault(addr, _vmfRealAddress, write, _vmfUser, reason, Owner.Current);

    /// <summary>
    /// do_anonymous_page(): a read maps the shared zero page; a write allocates a zeroed frame. An empty page of a
    /// userfaultfd MISSING range goes to the monitor instead (userfaultfd_missing()): for a read at once, for a write
    /// only after vmf_anon_prepare() and the folio's allocation, so the VMA has an anon_vma from then on (which
    /// keeps it from merging back with a neighbour once unregistered, as on 6.18).
    /// </summary>
    private FaultError DoAnonymousPage(Vma vma, PteTable table, int idx, ulong addr, bool write)
    {
        if (!write)
        {
            if ((vma.Flags & VmFlags.UffdMissing) != 0)
                return HandleUserfault(vma, addr, write, VmFlags.UffdMissing);
            table.Entries[idx] = WithOrigUffdWp(Pte.Make(PhysicalMemory.ZeroPfn, Pte.Special)).Raw;
            return FaultError.None;
        }
        var anonVma = Rmap.Prepare(vma);
        if (!AllocPage(out int pfn, zero: true))
            return FaultError.Oom;
        if ((vma.Flags & VmFlags.UffdMissing) != 0)
        {
            Phys.Put(pfn);
            return HandleUserfault(vma, addr, write, VmFlags.UffdMissing);
        }
        NewAnonRmap(pfn, anonVma, vma.LinearPageIndex(addr), vma);
        ulong bits = Pte.Accessed;
        if ((vma.Flags & VmFlags.Write) != 0)
            bits |= Pte.Write | Pte.Dirty;
        table.Entries[idx] = WithOrigUffdWp(Pte.Make(pfn, bits)).Raw;
        RssAnon++;
        return FaultError.None;
    }

    /// <summary>The new entry write-protected when the fault was on a uffd-wp marker (set_pte_range(), setpte:).</summary>
    private Pte WithOrigUffdWp(Pte pte) => _vmfUffdWp ? pte.WithUffdWp() : pte;

    /// <summary>folio_add_new_anon_rmap(): a fresh exclusive anonymous folio mapped once.</summary>
    internal void NewAnonRmap(int pfn, AnonVma anonVma, ulong index, Vma vma, bool newFolio = true)
    {
        Phys.Flags(pfn) |= PageFlags.Anon | PageFlags.AnonExclusive | PageFlags.SwapBacked | PageFlags.Uptodate;
        Phys.Owner(pfn) = anonVma;
        Phys.Index(pfn) = index;
        Phys.MapCount(pfn) = 1;
        // folio_add_lru_vma(): a new folio waits in the lru_add batch, or, in a locked VMA, in the mlock batch
        // (mlock_new_folio()), which puts it on the unevictable list.
        if ((vma.Flags & VmFlags.Locked) != 0)
            MlockFolio(pfn, newFolio);
        else if (newFolio)
            Kernel.Lru.Add(pfn);
    }

    /// <summary>mlock_folio(), or mlock_new_folio() for a folio on no list yet: a page mapped into a VM_LOCKED VMA becomes unevictable.</summary>
    internal void MlockFolio(int pfn, bool newFolio = false)
    {
        ref var f = ref Phys.Flags(pfn);
        if ((f & PageFlags.Mlocked) == 0)
        {
            // mlock_folio(): to the unevictable list, no longer active.
            f = (f | PageFlags.Mlocked) & ~PageFlags.Active;
            Kernel.NrMlock++;
        }
        Kernel.Lru.QueueMlock(pfn, newFolio);
    }

    /// <summary>do_fault(): file (shmem) backed VMAs.</summary>
    private FaultError DoFault(Vma vma, PteTable table, int idx, ulong addr, bool write)
    {
        if (!write)
            return DoReadFault(vma, table, idx, addr);
        if (!vma.IsShared)
            return DoCowFault(vma, table, idx, addr);
        return DoSharedFault(vma, table, idx, addr);
    }

    /// <summary>
    /// shmem_fault() / shmem_get_folio(): the page-cache page at index, allocated if a hole; SIGBUS past the end. For
    /// a fault in <paramref name="vma"/> (not for UFFDIO_COPY), a cached page of a MINOR range and a hole of a
    /// MISSING range go to the userfaultfd instead.
    /// </summary>
    private FaultError ShmemGetPage(ShmemFile file, ulong index, out int pfn, Vma? vma = null, ulong addr = 0, bool write = false)
    {
        if ((long)index >= (file.Size + (long)PageSize - 1) >> PageShift)
        {
            pfn = -1;
            return FaultError.SigBus;
        }
        pfn = file.Find(index);
        if (pfn < 0 && file.TryGetSwap(index, out var entry))
        {
            // shmem_swapin_folio(): back from swap first, then as any cached page (a MINOR range hears of it).
            var err = Kernel.ShmemSwapin(file, index, entry, Owner, out pfn);
            if (err != FaultError.None)
                return err;
        }
        if (pfn >= 0)
        {
            if (vma is not null && (vma.Flags & VmFlags.UffdMinor) != 0)
                return HandleUserfault(vma, addr, write, VmFlags.UffdMinor);
            return FaultError.None;
        }
        if (vma is not null && (vma.Flags & VmFlags.UffdMissing) != 0)
            return HandleUserfault(vma, addr, write, VmFlags.UffdMissing);
        return ShmemAddPage(file, index, out pfn, zero: true);
    }

    /// <summary>
    /// shmem_alloc_and_add_folio() for a hole at <paramref name="index"/>: a new page-cache page, charged to the file
    /// (memfd pages one by one); its contents are zero, or undefined when <paramref name="zero"/> is false and the
    /// caller fills it (UFFDIO_COPY).
    /// </summary>
    internal FaultError ShmemAddPage(ShmemFile file, ulong index, out int pfn, bool zero)
    {
        pfn = -1;
        if (!Kernel.ShmemAcctBlock(file, this))
            return FaultError.Oom;
        if (!AllocPage(out pfn, zero))
        {
            Kernel.ShmemUnacctBlock(file);
            return FaultError.Oom;
        }
        Phys.Flags(pfn) |= PageFlags.SwapBacked | PageFlags.Uptodate;
        Phys.Owner(pfn) = file;
        Phys.Index(pfn) = index;
        file.Add(index, pfn); // the page cache holds the allocation's reference
        Kernel.NrShmem++;
        Kernel.Lru.Add(pfn);
        return FaultError.None;
    }

    /// <summary>set_pte_range() for a page-cache page: takes a reference and a mapcount.</summary>
    private void MapFilePage(Vma vma, PteTable table, int idx, int pfn, bool write)
    {
        Phys.Get(pfn);
        Phys.MapCount(pfn)++;
        ulong bits = Pte.Accessed;
        // vm_page_prot: writable in a shared writable VMA, unless it wants write notification (vma_wants_writenotify():
        // registered for uffd-wp), where only a write fault maps the page writable.
        if (vma.IsShared && (vma.Flags & VmFlags.Write) != 0 && (write || (vma.Flags & VmFlags.UffdWp) == 0))
            bits |= Pte.Write;
        if (write)
            bits |= Pte.Dirty;
        table.Entries[idx] = WithOrigUffdWp(Pte.Make(pfn, bits)).Raw;
        AddRss(pfn, 1);
        if ((vma.Flags & VmFlags.Locked) != 0)
            MlockFolio(pfn);
    }

    /// <summary>do_read_fault(): fault-around first (filemap_map_pages()), then the page itself.</summary>
    private FaultError DoReadFault(Vma vma, PteTable table, int idx, ulong addr)
    {
        // should_fault_around(): not in a range registered for WP or MINOR faults (uffd_disable_fault_around()).
        if ((vma.Flags & (VmFlags.UffdWp | VmFlags.UffdMinor)) == 0)
            FaultAround(vma, table, addr);
        if (new Pte(table.Entries[idx]).IsAccessible)
            return FaultError.None;
        var err = ShmemGetPage(vma.File!, vma.LinearPageIndex(addr), out int pfn, vma, addr, write: false);
        if (err != FaultError.None)
            return err;
        MapFilePage(vma, table, idx, pfn, write: false);
        return FaultError.None;
    }

    /// <summary>
    /// do_fault_around(): map the cached pages in the fault_around_bytes (64 KiB) window around addr, clamped to
    /// the VMA, the PTE table and the file's size.
    /// </summary>
    private void FaultAround(Vma vma, PteTable table, ulong addr)
    {
        const ulong nrPages = 16;
        ulong pteOff = (ulong)PageTables.PteIndex(addr);
        ulong vmaOff = (addr - vma.Start) >> PageShift;
        ulong fromPte = Math.Max(pteOff & ~(nrPages - 1), pteOff - Math.Min(pteOff, vmaOff));
        ulong toPte = Math.Min(Math.Min(fromPte + nrPages, (ulong)PageTables.EntriesPerTable), pteOff + vma.Pages - vmaOff) - 1;
        var file = vma.File!;
        ulong pgoff = vma.LinearPageIndex(addr);
        long fileEnd = ((file.Size + (long)PageSize - 1) >> PageShift) - 1;
        for (ulong i = fromPte; i <= toPte; i++)
        {
            ulong index = pgoff + i - pteOff;
            if ((long)index > fileEnd)
                break;
            if (table.Entries[i] != 0)
                continue;
            int pfn = file.Find(index);
            if (pfn < 0)
                continue;
            MapFilePage(vma, table, (int)i, pfn, write: false);
        }
    }

    /// <summary>
    /// do_shared_fault(): a write to a shared file mapping maps the cache page writable and dirty, and
    /// fault_dirty_shared_page() marks the folio dirty.
    /// </summary>
    private FaultError DoSharedFault(Vma vma, PteTable table, int idx, ulong addr)
    {
        var err = ShmemGetPage(vma.File!, vma.LinearPageIndex(addr), out int pfn, vma, addr, write: true);
        if (err != FaultError.None)
            return err;
        MapFilePage(vma, table, idx, pfn, write: true);
        Phys.Flags(pfn) |= PageFlags.Dirty;
        return FaultError.None;
    }

    /// <summary>do_cow_fault(): a write to a private file mapping copies the cache page into a new anonymous page.</summary>
    private FaultError DoCowFault(Vma vma, PteTable table, int idx, ulong addr)
    {
        var anonVma = Rmap.Prepare(vma);
        var err = ShmemGetPage(vma.File!, vma.LinearPageIndex(addr), out int src, vma, addr, write: true);
        if (err != FaultError.None)
            return err;
        // The cache page is held while the copy is allocated: reclaim may take it from the cache meanwhile.
        Phys.Get(src);
        bool allocated = AllocPage(out int pfn, zero: false);
        if (allocated)
            Phys.Data(src).CopyTo(Phys.Data(pfn));
        Phys.Put(src);
        if (!allocated)
            return FaultError.Oom;
        NewAnonRmap(pfn, anonVma, vma.LinearPageIndex(addr), vma);
        table.Entries[idx] = WithOrigUffdWp(Pte.Make(pfn, Pte.Accessed | Pte.Write | Pte.Dirty)).Raw;
        RssAnon++;
        return FaultError.None;
    }

    /// <summary>
    /// do_wp_page(): a write to a present read-only PTE in a writable VMA. A PTE write-protected for userfaultfd in a
    /// VMA registered for WP goes to the monitor (UFFD_PAGEFAULT_FLAG_WP); with UFFD_FEATURE_WP_ASYNC the kernel just
    /// drops the protection and goes on.
    /// </summary>
    private FaultError DoWpPage(Vma vma, PteTable table, int idx, ulong addr, Pte pte)
    {
        if (pte.IsUffdWp && (vma.Flags & VmFlags.UffdWp) != 0)
        {
            if (!vma.UffdCtx!.Has(Uffd.UFFD_FEATURE_WP_ASYNC))
                return HandleUserfault(vma, addr, write: true, VmFlags.UffdWp);
            pte = pte.WithoutUffdWp();
            table.Entries[idx] = pte.Raw;
        }
        int pfn = pte.Pfn;
        if (vma.IsShared)
        {
            // wp_page_shared(): shmem has no page_mkwrite; make it writable, and fault_dirty_shared_page().
            table.Entries[idx] = pte.WithWrite().WithDirty().WithYoung().Raw;
            if (!pte.IsSpecial)
                Phys.Flags(pfn) |= PageFlags.Dirty;
            return FaultError.None;
        }
        if (!pte.IsSpecial)
        {
            ref var flags = ref Phys.Flags(pfn);
            if ((flags & PageFlags.Anon) != 0
                && ((flags & PageFlags.AnonExclusive) != 0 || CanReuseAnonFolio(pfn)))
            {
                // wp_can_reuse_anon_folio(): the only reference is ours; reuse it and move it to our anon_vma.
                if ((flags & PageFlags.AnonExclusive) == 0)
                {
                    Phys.Owner(pfn) = vma.AnonVma;
                    flags |= PageFlags.AnonExclusive;
                }
                table.Entries[idx] = pte.WithWrite().WithDirty().WithYoung().Raw;
                return FaultError.None;
            }
        }
        return WpPageCopy(vma, table, idx, addr, pte);
    }

    /// <summary>
    /// wp_can_reuse_anon_folio(): a folio not known exclusive may be reused when ours is its only reference. A folio
    /// waiting in a CPU batch is put on its list first (the batch holds a reference); one in the swap cache gives its
    /// slot up when nothing else refers to it.
    /// </summary>
    private bool CanReuseAnonFolio(int pfn)
    {
        if (Phys.RefCount(pfn) > 3)
            return false;
        if (!Kernel.Lru.IsOnLru(pfn))
            Kernel.LruAddDrain();
        bool swapCache = (Phys.Flags(pfn) & PageFlags.SwapCache) != 0;
        if (Phys.RefCount(pfn) > 1 + (swapCache ? 1 : 0))
            return false;
        if (swapCache)
            Swap.FreeSwap(pfn);
        return Phys.RefCount(pfn) == 1;
    }

    /// <summary>wp_page_copy(): break COW into a new exclusive anonymous page.</summary>
    private FaultError WpPageCopy(Vma vma, PteTable table, int idx, ulong addr, Pte pte)
    {
        var anonVma = Rmap.Prepare(vma);
        bool fromZero = pte.IsSpecial;
        if (!AllocPage(out int pfn, zero: fromZero))
            return FaultError.Oom;
        // pte_same(): reclaim, run by the allocation, may have unmapped the page meanwhile; then fault again.
        if (table.Entries[idx] != pte.Raw)
        {
            Phys.Put(pfn);
            return FaultError.Retry;
        }
        int old = pte.Pfn;
        if (!fromZero)
            Phys.Data(old).CopyTo(Phys.Data(pfn));
        NewAnonRmap(pfn, anonVma, vma.LinearPageIndex(addr), vma);
        table.Entries[idx] = Pte.Make(pfn, Pte.Accessed | Pte.Write | Pte.Dirty).Raw;
        if (fromZero)
        {
            RssAnon++;
        }
        else
        {
            if ((Phys.Flags(old) & PageFlags.Anon) == 0)
            {
                AddRss(old, -1);
                RssAnon++;
            }
            RemoveRmap(old, vma);
        }
        return FaultError.None;
    }

    /// <summary>
    /// folio_remove_rmap_pte() + folio_put(): vma's mapping of the frame is gone (its PTE already changed). The
    /// last mapping takes PG_mlocked with it; a VM_LOCKED one munlocks the frame unless another locked VMA still
    /// maps it (munlock_vma_folio()).
    /// </summary>
    internal void RemoveRmap(int pfn, Vma vma)
    {
        if (--Phys.MapCount(pfn) == 0 || ((vma.Flags & VmFlags.Locked) != 0 && !MappedByOtherLockedVma(pfn, vma)))
            MunlockFolio(pfn);
        // munlock_vma_folio(): unmapped from a locked VMA, the folio waits in the mlock batch (found by fuzz, seed 367).
        if ((vma.Flags & VmFlags.Locked) != 0)
            Kernel.Lru.QueueMlock(pfn);
        Phys.Put(pfn);
    }

    /// <summary>
    /// expand_downwards(): grow a VM_GROWSDOWN VMA to cover addr, keeping stack_guard_gap from the VMA below.
    /// Returns 0 or -errno.
    /// </summary>
    public long ExpandDownwards(Vma vma, ulong address)
    {
        address &= ~(PageSize - 1);
        if (address < MmapMinAddr)
            return -(long)Errno.EPERM;
        var prev = Vmas.Prev(vma);
        if (prev is not null && (prev.Flags & VmFlags.GrowsDown) == 0 && (prev.Flags & VmFlags.AccessFlags) != 0
            && address - prev.End < Kernel.Config.StackGuardGap)
            return -(long)Errno.ENOMEM;
        if (prev is not null && prev.End > address)
            return -(long)Errno.ENOMEM;
        Rmap.Prepare(vma);
        if (address >= vma.Start)
            return 0;
        ulong size = vma.End - address;
        ulong grow = (vma.Start - address) >> PageShift;
        if (grow > vma.PgOff)
            return -(long)Errno.ENOMEM;
        // acct_stack_growth()
        if (!MayExpandVm(vma.Flags, (long)grow))
            return -(long)Errno.ENOMEM;
        if (size > Owner.GetRlimit(Rlimit.RLIMIT_STACK).Cur)
            return -(long)Errno.ENOMEM;
        if (!MlockFutureOk(vma.Flags, grow << PageShift))
            return -(long)Errno.ENOMEM;
        if ((vma.Flags & VmFlags.Account) != 0 && !Kernel.VmEnoughMemory(this, (long)grow))
            return -(long)Errno.ENOMEM;
        if ((vma.Flags & VmFlags.Locked) != 0)
            LockedVm += (long)grow;
        VmStatAccount(vma.Flags, (long)grow);
        SetRange(vma, address, vma.End, vma.PgOff - grow);
        // Growing never merges, even into an identical neighbour (two grows-down VMAs keep no guard gap).
        if (prev is not null && WouldMerge(prev, vma))
            UnmergedNeighboursPossible = true;
        return 0;
    }

    /// <summary>
    /// zap_pte_range() over [start, end) of vma: unmap every page, drop RSS, mapcount and references; PTE tables stay
    /// (free_pgtables() frees them on munmap).
    /// </summary>
    public void ZapRange(Vma vma, ulong start, ulong end, ZapKind kind = ZapKind.Advice)
    {
        foreach (var span in PageTables.Walk(start, end))
            ZapPteTable(vma, span.Table, span.From, span.To, kind);
    }

    private void ZapPteTable(Vma vma, PteTable table, int from, int to, ZapKind kind)
    {
        var entries = table.Entries;
        // zap_install_uffd_wp_if_needed(): a file VMA registered for WP keeps a uffd-wp marker where a protected page
        // (or marker) was, unless the whole mapping goes (ZAP_FLAG_DROP_MARKER). Zapping anonymous memory drops all.
        bool keepUffdWp = kind != ZapKind.Unmap && !vma.IsAnonymous && (vma.Flags & VmFlags.UffdWp) != 0;
        for (int i = from; i <= to; i++)
        {
            ulong raw = entries[i];
            if (raw == 0)
                continue;
            var pte = new Pte(raw);
            // Ordinary zapping keeps guard markers; only unmapping removes them. It keeps a file VMA's uffd-wp markers
            // too, registered for WP or not any more (measured on 6.18; found by fuzz, seed 12246).
            if (pte.IsMarker && kind != ZapKind.Unmap
                && ((pte.MarkerBits & Pte.MarkerGuard) != 0 || ((pte.MarkerBits & Pte.MarkerUffdWp) != 0 && !vma.IsAnonymous)))
                continue;
            // should_zap_folio(): a punch leaves anonymous pages (and swap entries) of private mappings alone.
            if (kind == ZapKind.Punch && (!pte.MapsFrame ? pte.IsSwap && !pte.IsMarker : (Phys.Flags(pte.Pfn) & PageFlags.Anon) != 0))
                continue;
            entries[i] = keepUffdWp && pte.IsUffdWp ? Pte.Marker(Pte.MarkerUffdWp).Raw : 0;
            if (pte.IsSwapEntry)
                FreeSwapAndCache(pte);
            if (!pte.MapsFrame)
                continue;
            int pfn = pte.Pfn;
            ref var flags = ref Phys.Flags(pfn);
            if ((flags & PageFlags.Anon) == 0)
            {
                if (pte.IsDirty)
                    flags |= PageFlags.Dirty;
                // folio_mark_accessed() only where vma_has_recency(): not under MADV_SEQUENTIAL/MADV_RANDOM.
                if (pte.IsYoung && (vma.Flags & (VmFlags.SeqRead | VmFlags.RandRead)) == 0)
                    Kernel.Lru.MarkAccessed(pfn);
            }
            AddRss(pfn, -1);
            bool swapCache = (flags & PageFlags.SwapCache) != 0;
            RemoveRmap(pfn, vma);
            if (swapCache)
                FreeSwapCache(pfn);
        }
    }

    /// <summary>
    /// copy_page_range() for fork: only VMAs with an anon_vma, PFN maps, VMAs that may hold guard markers, and VMAs
    /// the child keeps registered for uffd-wp (whose protection lives in the PTEs) are copied (vma_needs_copy());
    /// shared file pages are otherwise faulted in again by the child. COW mappings are write-protected in both; the child's PTEs are old, and
    /// clean in shared mappings. False (ENOMEM) when a page table could not be allocated, even after the OOM
    /// killer ran; the forking process may be its victim.
    /// </summary>
    public bool CopyPageRange(Vma dst, Vma src)
    {
        if (src.AnonVma is null && (src.Flags & (VmFlags.PfnMap | VmFlags.MixedMap | VmFlags.MaybeGuard)) == 0
            && (dst.Flags & VmFlags.UffdWp) == 0)
            return true;
        var srcPt = src.Mm.PageTables;
        bool cow = src.IsCowMapping;
        ulong addr = src.Start;
        while (addr < src.End)
        {
            ulong next = PageTables.AddrEnd(addr, src.End, PageTables.PmdSize);
            var sTable = srcPt.LookupPteTable(addr);
            if (sTable is not null && HasEntries(sTable, PageTables.PteIndex(addr), PageTables.PteIndex(next - 1)))
            {
                if (PteAlloc(addr, src.Mm.Owner) is not { } dTable)
                    return false;
                CopyPteTable(dst, src, sTable, dTable, PageTables.PteIndex(addr), PageTables.PteIndex(next - 1), cow);
            }
            addr = next;
        }
        return true;
    }

    private static bool HasEntries(PteTable t, int from, int to)
    {
        return t.Entries.AsSpan(from, to - from + 1).IndexOfAnyExcept(0UL) >= 0;
    }

    private void CopyPteTable(Vma dst, Vma src, PteTable sTable, PteTable dTable, int from, int to, bool cow)
    {
        var s = sTable.Entries;
        var d = dTable.Entries;
        for (int i = from; i <= to; i++)
        {
            ulong raw = s[i];
            if (raw == 0)
                continue;
            var pte = new Pte(raw);
            if (pte.IsMarker)
            {
                // copy_pte_marker(): poison and guard markers always; uffd-wp ones only where the child's VMA is
                // registered for WP (never without UFFD_FEATURE_EVENT_FORK).
                ulong marker = pte.MarkerBits & (Pte.MarkerPoisoned | Pte.MarkerGuard);
                if ((pte.MarkerBits & Pte.MarkerUffdWp) != 0 && (dst.Flags & VmFlags.UffdWp) != 0)
                    marker |= Pte.MarkerUffdWp;
                if (marker != 0)
                    d[i] = Pte.Marker(marker).Raw;
                continue;
            }
            if (pte.IsSwapEntry)
            {
                // copy_nonpresent_pte(): one more reference to the slot, and the entry is no longer exclusive.
                Swap.Dup(Mm.Swap.SwapEntry.FromPte(pte));
                dst.Mm.SwapEnts++;
                if (pte.IsSwpExclusive)
                {
                    pte = new Pte(pte.Raw & ~Pte.SwpExclusive);
                    s[i] = pte.Raw;
                }
                d[i] = ((dst.Flags & VmFlags.UffdWp) == 0 ? new Pte(pte.Raw & ~Pte.SwpUffdWp) : pte).Raw;
                continue;
            }
            if (pte.MapsFrame)
            {
                int pfn = pte.Pfn;
                Phys.Get(pfn);
                Phys.MapCount(pfn)++;
                // folio_try_dup_anon_rmap_pte(): the page is no longer exclusive to the parent.
                Phys.Flags(pfn) &= ~PageFlags.AnonExclusive;
                AddRss(pfn, 1);
            }
            if (cow && pte.IsWrite)
            {
                pte = pte.WithoutWrite();
                s[i] = pte.Raw;
            }
            if (src.IsShared)
                pte = pte.WithoutDirty();
            // copy_present_ptes(): the child's copy keeps the protection only where its VMA is registered for WP.
            if ((dst.Flags & VmFlags.UffdWp) == 0)
                pte = pte.WithoutUffdWp();
            d[i] = pte.WithoutYoung().Raw;
        }
    }

    // ---- mremap's page-table move ----

    /// <summary>
    /// move_page_tables(): move the entries mapping [oldAddr, oldAddr + len) of oldVma to newAddr in newVma,
    /// as x86-64 does with HAVE_MOVE_PMD and HAVE_MOVE_PUD: a whole PUD entry (a PMD table) when source and
    /// target are PUD-aligned over a full 1 GiB, else a whole PMD entry (a PTE table) over a full 2 MiB, else
    /// one PTE at a time. Empty levels are skipped; target tables are allocated as the walk needs them.
    /// Each entry moved counts in the machine's <see cref="VmStat"/>.
    /// </summary>
    public ulong MovePageTables(Vma oldVma, ulong oldAddr, Vma newVma, ulong newAddr, ulong len)
    {
        if (len == 0)
            return 0;
        ulong oldEnd = oldAddr + len;
        TryRealignAddr(oldVma, ref oldAddr, newVma, ref newAddr, len);
        var stat = Kernel.VmStat;
        // vma_has_uffd_without_event_remap(): the moved entries lose their uffd-wp protection, so they move one by one.
        bool clearUffdWp = oldVma.UffdCtx is { } ctx && !ctx.Has(Uffd.UFFD_FEATURE_EVENT_REMAP);
        for (ulong extent; oldAddr < oldEnd; oldAddr += extent, newAddr += extent)
        {
            extent = GetExtent(oldAddr, oldEnd, newAddr, PageTables.PudSize);
            if (!PageTables.HasPud(oldAddr))
                continue;
            TablesReserved(PageTables.TryAllocPud(newAddr));
            if (extent == PageTables.PudSize && !clearUffdWp && PageTables.MoveNormalPud(oldAddr, newAddr))
            {
                stat.MremapPudMoved++;
                continue;
            }
            extent = GetExtent(oldAddr, oldEnd, newAddr, PageTables.PmdSize);
            if (!PageTables.HasPmd(oldAddr))
                continue;
            TablesReserved(PageTables.TryAllocPmd(newAddr));
            if (extent == PageTables.PmdSize && !clearUffdWp && PageTables.MoveNormalPmd(oldAddr, newAddr))
            {
                stat.MremapPmdMoved++;
                continue;
            }
            MovePtes(PageTables.LookupPteTable(oldAddr)!, oldAddr, TablesReserved(PageTables.TryAllocPteTable(newAddr)), newAddr, extent, clearUffdWp);
        }
        return len;
    }

    /// <summary>
    /// Makes sure the frames for every page table a move of len bytes to newAddr may allocate are free, running
    /// the OOM killer if they are not, so that <see cref="MovePageTables"/> cannot fail half way. Linux allocates
    /// as it goes and moves the entries back on failure; the model asks for the worst case up front, so under
    /// extreme memory pressure it may kill a victim where Linux would have found a table present. False when the
    /// caller itself was killed.
    /// </summary>
    public bool ReserveMoveTables(ulong newAddr, ulong len)
    {
        long need = PageTables.MaxTablesFor(newAddr, len);
        if (need == 0 || Phys.FreeFrames > Phys.WmarkLow + need)
            return true;
        return Kernel.AllocSlowPath(Owner, (int)need);
    }

    private static T TablesReserved<T>(T? table) where T : class =>
        table ?? throw new InvariantViolationException("a page table reserved for mremap could not be allocated");

    /// <summary>
    /// move_ptes(): one entry at a time; the target entries are none. With <paramref name="clearUffdWp"/> a uffd-wp
    /// marker is dropped and a protected page loses its protection.
    /// </summary>
    private void MovePtes(PteTable oldTable, ulong oldAddr, PteTable newTable, ulong newAddr, ulong extent, bool clearUffdWp)
    {
        var src = oldTable.Entries.AsSpan(PageTables.PteIndex(oldAddr), (int)(extent >> PageShift));
        var dst = newTable.Entries.AsSpan(PageTables.PteIndex(newAddr), src.Length);
        long moved = 0;
        for (int i = 0; i < src.Length; i++)
        {
            if (src[i] == 0)
                continue;
            if (dst[i] != 0)
                throw new InvariantViolationException($"mremap target PTE at 0x{newAddr + ((ulong)i << PageShift):x} is not none");
            var pte = new Pte(src[i]);
            src[i] = 0;
            moved++;
            if (clearUffdWp && pte.IsUffdWp)
            {
                if (pte.IsMarker)
                    continue;
                pte = pte.IsPresent ? pte.WithoutUffdWp() : new Pte(pte.Raw & ~Pte.SwpUffdWp);
            }
            dst[i] = pte.Raw;
        }
        Kernel.VmStat.MremapPteMoved += moved;
    }

    /// <summary>get_extent(): up to the next size boundary of source and target, and no further than oldEnd.</summary>
    private static ulong GetExtent(ulong oldAddr, ulong oldEnd, ulong newAddr, ulong size)
    {
        ulong extent = ((oldAddr + size) & ~(size - 1)) - oldAddr;
        if (extent > oldEnd - oldAddr)
            extent = oldEnd - oldAddr;
        ulong toNew = ((newAddr + size) & ~(size - 1)) - newAddr;
        return Math.Min(extent, toNew);
    }

    /// <summary>
    /// try_realign_addr() for PMD_MASK: when source and target sit at the same offset in their 2 MiB, the move
    /// reaches the next boundary, both VMAs start there and nothing is mapped below them down to the boundary,
    /// start the move at the boundary so the first PTE table moves whole.
    /// <code>
    ///   boundary                        boundary
    ///      .              |----------------.-----------|
    ///      .              |          vma   .           |
    ///      &lt;------------------------------------------&gt;  moved from the boundary
    /// </code>
    /// </summary>
    private void TryRealignAddr(Vma oldVma, ref ulong oldAddr, Vma newVma, ref ulong newAddr, ulong len)
    {
        const ulong alignMask = PageTables.PmdSize - 1;
        ulong oldAlign = oldAddr & alignMask;
        if (len < PageTables.PmdSize - oldAlign || oldAlign == 0 || oldAlign != (newAddr & alignMask))
            return;
        if (!CanAlignDown(oldVma, oldAddr) || !CanAlignDown(newVma, newAddr))
            return;
        oldAddr &= PageTables.PmdMask;
        newAddr &= PageTables.PmdMask;
    }

    /// <summary>can_align_down(): addr starts its VMA and nothing is mapped from the boundary below up to it.</summary>
    private bool CanAlignDown(Vma vma, ulong addr) =>
        vma.Start == addr && FindVmaIntersection(addr & PageTables.PmdMask, vma.Start) is null;

    // ---- CPU accesses ----

    /// <summary>
    /// One CPU access to the page containing addr, as the MMU does it: walk, check, set A (and D on a write),
    /// faulting and retrying when the walk fails. Returns the frame or a fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AccessResult AccessPage(ulong addr, bool write, out int pfn, bool user = true)
    {
        for (int attempt = 0; ; attempt++)
        {
            var table = PageTables.LookupPteTable(addr);
            if (table is not null)
            {
                ref ulong e = ref table.Entries[PageTables.PteIndex(addr)];
                var pte = new Pte(e);
                if (pte.IsAccessible && (!write || pte.IsWrite))
                {
                    e |= write ? Pte.Accessed | Pte.Dirty : Pte.Accessed;
                    pfn = pte.Pfn;
                    return AccessResult.Ok;
                }
            }
            pfn = -1;
            if (attempt > 8)
                throw new InvariantViolationException($"fault at 0x{addr:x} did not resolve");
            var err = addr >= TaskSize ? FaultError.MapErr : HandleFault(addr, write, user);
            switch (err)
            {
                case FaultError.None:
                case FaultError.Retry:
                    continue;
                case FaultError.Blocked:
                    return AccessResult.Blocked(addr);
                case FaultError.MapErr:
                    return AccessResult.Segv(Signal.SEGV_MAPERR, addr);
                case FaultError.AccErr:
                    return AccessResult.Segv(Signal.SEGV_ACCERR, addr);
                case FaultError.SigBus:
                case FaultError.HwPoison:
                    return AccessResult.Bus(Signal.BUS_ADRERR, addr);
                default:
                    // VM_FAULT_OOM: pagefault_out_of_memory(); the OOM killer already chose a victim.
                    if (!Owner.IsAlive)
                        return AccessResult.Killed;
                    Kernel.KillForOom(Owner);
                    return AccessResult.Killed;
            }
        }
    }

    /// <summary>
    /// mm_populate(): fault in [start, end) VMA by VMA with populate_vma_page_range(), ignoring errors: a VMA where a page
    /// cannot be faulted in (a guard marker, SIGBUS past a file's end) is left there and the next one is populated
    /// (__mm_populate() with ignore_errors).
    /// </summary>
    public void Populate(ulong start, ulong end)
    {
        for (ulong nstart = start; nstart < end && Owner.IsAlive;)
        {
            var vma = FindVmaIntersection(nstart, end);
            if (vma is null)
                break;
            nstart = Math.Max(nstart, vma.Start);
            ulong nend = Math.Min(end, vma.End);
            // populate_vma_page_range(): GUP, then lru_add_drain(), for the VMAs it does not refuse first (PROT_NONE,
            // VM_LOCKONFAULT, VM_IO and VM_PFNMAP ones: no drain; found by fuzz, seed 111).
            if ((vma.Flags & (VmFlags.Io | VmFlags.PfnMap | VmFlags.LockOnFault)) == 0 && (vma.Flags & VmFlags.AccessFlags) != 0)
            {
                _ = PopulatePages(nstart, nend);
                Kernel.LruAddDrain();
            }
            nstart = nend;
        }
    }

    /// <summary>
    /// <see cref="Populate"/>, stopping at the first page that cannot be faulted in and returning why
    /// (FaultError.None when every page is in).
    /// </summary>
    private FaultError PopulateRange(ulong start, ulong end)
    {
        // GUP's populate puts the folios it faulted in on their lists (measured on 6.18: the CPU's batches drain).
        var err = PopulatePages(start, end);
        Kernel.LruAddDrain();
        return err;
    }

    private FaultError PopulatePages(ulong start, ulong end)
    {
        for (ulong addr = start; addr < end; addr += PageSize)
        {
            var vma = FindVma(addr);
            if (vma is null)
                return FaultError.None;
            if (vma.Start > addr)
            {
                addr = vma.Start - PageSize;
                continue;
            }
            // populate_vma_page_range(): VM_LOCKONFAULT VMAs are left to fault in (and lock) page by page.
            if ((vma.Flags & (VmFlags.Io | VmFlags.PfnMap | VmFlags.LockOnFault)) != 0 || (vma.Flags & VmFlags.AccessFlags) == 0)
            {
                addr = vma.End - PageSize;
                continue;
            }
            // Writable private mappings are populated for write (FOLL_WRITE) so they are not COW-shared later.
            bool write = (vma.Flags & (VmFlags.Write | VmFlags.Shared)) == VmFlags.Write;
            var err = FaultinPage(vma, addr, write);
            if (err != FaultError.None)
                return err;
        }
        return FaultError.None;
    }

    /// <summary>
    /// GUP's loop for one page (__get_user_pages()): faultin_page() until follow_page_pte() is satisfied (present, and
    /// writable for a write); a write to a uffd-wp marker first maps the page protected, then takes the write fault.
    /// </summary>
    private FaultError FaultinPage(Vma vma, ulong addr, bool write)
    {
        var table = PageTables.LookupPteTable(addr);
        var pte = table is null ? Pte.None : new Pte(table.Entries[PageTables.PteIndex(addr)]);
        for (int attempt = 0; !pte.IsAccessible || (write && !pte.IsWrite); attempt++)
        {
            if (attempt > 8)
                throw new InvariantViolationException($"populating 0x{addr:x} did not resolve");
            _vmfRealAddress = addr;
            _vmfUser = false;
            var err = HandlePteFault(vma, addr, write);
            if (err is not (FaultError.None or FaultError.Retry))
                return err;
            if (!Owner.IsAlive)
                return FaultError.Oom;
            pte = new Pte(PageTables.LookupPteTable(addr)!.Entries[PageTables.PteIndex(addr)]);
        }
        // follow_page_pte() with FOLL_TOUCH: the page is marked accessed, and for a write dirty.
        if (pte.MapsFrame)
        {
            if (write && !pte.IsDirty)
                Phys.Flags(pte.Pfn) |= PageFlags.Dirty;
            Kernel.Lru.MarkAccessed(pte.Pfn);
        }
        return FaultError.None;
    }
}

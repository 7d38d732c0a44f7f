using MmSim.Mm.Swap;

namespace MmSim.Mm.Reclaim;

/// <summary>What shrink_folio_list() did with one isolated folio.</summary>
internal enum ShrinkResult
{
    /// <summary>Reclaimed: nothing but the isolation holds it; the caller's put frees it.</summary>
    Freed,
    /// <summary>Back to the inactive list (keep_locked:), or written and left in the swap cache (keep:).</summary>
    Keep,
    /// <summary>Written to swap: kept in the swap cache, and rotated to the list's tail when its writeback ends.</summary>
    Written,
    /// <summary>activate_locked: to the active list (or the unevictable one when mlocked).</summary>
    Activate,
}

/// <summary>
/// Page reclaim (mm/vmscan.c): shrink_folio_list() and try_to_unmap() for isolated folios, driven by MADV_PAGEOUT's
/// reclaim_pages() and by the LRU scanning of kswapd and direct reclaim (<c>VmscanLists.cs</c>). An anonymous folio
/// gets a swap slot and its mappings become swap entries, then it is written out; a clean lazyfree folio is
/// discarded; a dirty shmem folio moves from the page cache to the swap cache, a clean one is dropped. As on a swap
/// file on a disk, writeback is asynchronous: a folio just written stays in the swap cache (SwapCached, mincore 1),
/// to be freed by a later reclaim; a zero-filled one is not written at all (the device's zeromap) and is freed at once.
/// </summary>
internal sealed partial class Vmscan(Kernel kernel)
{
    private PhysicalMemory Phys => kernel.Phys;
    private SwapState Swap => kernel.Swap;

    /// <summary>The folios MADV_PAGEOUT isolated for one reclaim_pages() call: one list, reused, so reclaim allocates nothing.</summary>
    public List<int> Isolated { get; } = [];

    /// <summary>
    /// reclaim_folio_list(): shrink_folio_list() with ignore_references for folios MADV_PAGEOUT isolated
    /// (<see cref="Lru.Isolate"/>); the ones kept go back through the lru_add batch (folio_putback_lru()).
    /// </summary>
    public void ReclaimPages(List<int> isolated)
    {
        foreach (int pfn in isolated)
        {
            var r = ShrinkFolio(pfn, ignoreReferences: true);
            if (r == ShrinkResult.Freed)
                Phys.Put(pfn);
            else
                kernel.Lru.Putback(pfn);
        }
        isolated.Clear();
    }

    /// <summary>
    /// shrink_folio_list() for one isolated folio (the caller holds the isolation's reference and puts it back or
    /// frees it). Without <paramref name="ignoreReferences"/>, folio_check_references() first: a folio referenced
    /// through a PTE since the last scan is activated if it was referenced before too (or through several PTEs), else
    /// kept for another trip round the inactive list.
    /// </summary>
    public ShrinkResult ShrinkFolio(int pfn, bool ignoreReferences)
    {
        ref var flags = ref Phys.Flags(pfn);
        // folio_evictable(): an mlocked folio goes to the unevictable list.
        if ((flags & PageFlags.Mlocked) != 0)
            return Activate(pfn);
        if (!ignoreReferences)
        {
            var refs = CheckReferences(pfn);
            if (refs != ShrinkResult.Freed)
                return refs == ShrinkResult.Activate ? Activate(pfn) : refs;
        }
        if ((flags & PageFlags.Anon) == 0)
            return ShrinkShmemFolio(pfn);
        bool lazyfree = (flags & PageFlags.SwapBacked) == 0;
        if (!lazyfree && (flags & PageFlags.SwapCache) == 0)
        {
            // folio_alloc_swap(): without a free slot the folio is activated and stays.
            if (!Swap.TryAlloc(out var entry))
                return Activate(pfn);
            Swap.AddToCache(entry, pfn);
            flags |= PageFlags.Dirty;
        }
        if (Phys.MapCount(pfn) > 0 && !TryToUnmap(pfn))
            return Activate(pfn);
        if (lazyfree)
        {
            // A lazyfree folio unmapped clean is freed without writing (PGLAZYFREED); one written since is swap-backed
            // again and was activated above.
            if ((flags & PageFlags.Dirty) != 0 || Phys.RefCount(pfn) != 1)
                return ShrinkResult.Keep;
            kernel.VmStat.PgLazyFreed++;
            return ShrinkResult.Freed;
        }
        if ((flags & PageFlags.Dirty) != 0)
        {
            // pageout() → swap_writeout(): a zero-filled folio only sets the slot's zeromap bit, a synchronous
            // "write"; any other is written and left under writeback, so it stays in the swap cache (keep:).
            if (!WriteOut(pfn))
                return ShrinkResult.Written;
        }
        // __remove_mapping(): a clean folio nothing maps any more leaves the swap cache and is freed, unless someone
        // else holds a reference (the isolation's and the swap cache's are expected).
        if ((flags & PageFlags.SwapCache) != 0)
        {
            if (Phys.RefCount(pfn) != 2)
                return ShrinkResult.Keep;
            Swap.DeleteFromCache(pfn);
        }
        return Phys.RefCount(pfn) == 1 ? ShrinkResult.Freed : ShrinkResult.Keep;
    }

    /// <summary>
    /// folio_check_references(): Activate, Keep, or Freed meaning "go on and reclaim it". folio_referenced() counts and
    /// clears the young PTEs that map the folio; PG_referenced remembers a reference seen by an earlier scan.
    /// </summary>
    private ShrinkResult CheckReferences(int pfn)
    {
        int referencedPtes = FolioReferenced(pfn, out bool vmLocked);
        if (vmLocked)
            return ShrinkResult.Activate;
        ref var flags = ref Phys.Flags(pfn);
        bool referencedFolio = (flags & PageFlags.Referenced) != 0;
        flags &= ~PageFlags.Referenced;
        if (referencedPtes > 0)
        {
            // All mapped folios start out with a PTE reference from their fault: look twice before activating.
            flags |= PageFlags.Referenced;
            return referencedFolio || referencedPtes > 1 ? ShrinkResult.Activate : ShrinkResult.Keep;
        }
        return ShrinkResult.Freed;
    }

    /// <summary>
    /// folio_referenced(): the rmap walk over the VMAs that map the folio, clearing each young PTE's accessed bit and
    /// counting it. VMAs under MADV_SEQUENTIAL or MADV_RANDOM are skipped (vma_has_recency()). A mapping in a
    /// VM_LOCKED VMA mlocks the folio and ends the walk (<paramref name="vmLocked"/>).
    /// </summary>
    public int FolioReferenced(int pfn, out bool vmLocked)
    {
        var walk = new ReferencedWalk(pfn);
        RmapWalk(pfn, ref walk);
        vmLocked = walk.Locked;
        return walk.Referenced;
    }

    private struct ReferencedWalk(int pfn) : IRmapVisitor
    {
        public int Referenced;
        public bool Locked;

        public bool Visit(Vma vma, ulong addr, ref ulong entry)
        {
            if ((vma.Flags & VmFlags.Locked) != 0)
            {
                vma.Mm.MlockFolio(pfn);
                Locked = true;
                return false;
            }
            if ((vma.Flags & (VmFlags.SeqRead | VmFlags.RandRead)) != 0)
                return true;
            if ((entry & Pte.Accessed) != 0)
            {
                entry &= ~Pte.Accessed;
                Referenced++;
            }
            return true;
        }
    }

    /// <summary>Writes the folio to its slot; false when the write is left in flight (the folio is kept).</summary>
    private bool WriteOut(int pfn)
    {
        var e = SwapEntry.FromRaw(Phys.SwapSlot(pfn));
        var dev = Swap.Device(e);
        if (Phys.Data(pfn).IndexOfAnyExcept((byte)0) < 0)
        {
            dev.SetZero(e.Offset, true);
            Phys.Flags(pfn) &= ~PageFlags.Dirty;
            kernel.VmStat.SwpoutZero++;
            return true;
        }
        dev.SetZero(e.Offset, false);
        Swap.Write(pfn);
        kernel.VmStat.PswpOut++;
        return false;
    }

    /// <summary>
    /// shrink_folio_list() for a shmem page-cache folio: unmapped everywhere, then, if dirty, shmem_writeout() moves it
    /// from the page cache to the swap cache (the file keeps the swap entry: info->swapped) and writes it as an
    /// anonymous folio is written; a clean one (read in, never written) is simply dropped from the page cache
    /// (__remove_mapping()), leaving a hole that reads as zeros again.
    /// </summary>
    private ShrinkResult ShrinkShmemFolio(int pfn)
    {
        if (Phys.Owner(pfn) is not ShmemFile file)
        {
            // A shmem folio written out earlier, left in the swap cache: __remove_mapping() frees it once clean.
            if ((Phys.Flags(pfn) & (PageFlags.SwapCache | PageFlags.Dirty)) != PageFlags.SwapCache || Phys.RefCount(pfn) != 2)
                return ShrinkResult.Keep;
            Swap.DeleteFromCache(pfn);
            return ShrinkResult.Freed;
        }
        if (Phys.MapCount(pfn) > 0 && !TryToUnmap(pfn))
            return Activate(pfn);
        // __remove_mapping() wants the page cache's and the isolation's references only.
        if (Phys.RefCount(pfn) != 2)
            return ShrinkResult.Keep;
        ulong index = Phys.Index(pfn);
        ref var flags = ref Phys.Flags(pfn);
        if ((flags & PageFlags.Dirty) == 0)
        {
            file.Remove(index);
            kernel.NrShmem--;
            kernel.ShmemUnacctBlock(file);
            Phys.Owner(pfn) = null;
            Phys.Put(pfn); // the page cache's reference
            return ShrinkResult.Freed;
        }
        // shmem_writeout(): without a free slot the folio is redirtied and activated.
        if (!Swap.TryAlloc(out var entry))
            return Activate(pfn);
        file.Remove(index);
        file.SetSwap(index, entry);
        Swap.Dup(entry);
        Swap.AddToCache(entry, pfn);
        kernel.NrShmem--;
        Phys.Owner(pfn) = null;
        Phys.Put(pfn); // the page cache's reference: the swap cache's replaces it
        if (!WriteOut(pfn))
            return ShrinkResult.Written;
        Swap.DeleteFromCache(pfn);
        return ShrinkResult.Freed;
    }

    /// <summary>folio_set_active() for a folio reclaim could not take (activate_locked:).</summary>
    private ShrinkResult Activate(int pfn)
    {
        ref var flags = ref Phys.Flags(pfn);
        // A folio in the swap cache that cannot go gives its slot back when swap is more than half full or it is mlocked.
        if ((flags & PageFlags.SwapCache) != 0 && (Swap.IsFull || (flags & PageFlags.Mlocked) != 0))
            Swap.FreeSwap(pfn);
        if ((flags & PageFlags.Mlocked) == 0)
        {
            flags |= PageFlags.Active;
            kernel.VmStat.PgActivate++;
        }
        return ShrinkResult.Activate;
    }

    /// <summary>
    /// try_to_unmap(): every PTE that maps the folio is cleared; an anonymous folio's become swap entries of its slot
    /// (exclusive if the page was, keeping the uffd-wp bit), a lazyfree one's are dropped unless redirtied. False when
    /// a mapping stays: a locked VMA, or a lazyfree page written since MADV_FREE (it is swap-backed again). The rmap
    /// walk looks at the folio's linear index in each VMA that may map it: the anon_vma's chains, or for a shmem folio
    /// every VMA of the file.
    /// </summary>
    private bool TryToUnmap(int pfn)
    {
        var walk = new UnmapWalk(this, pfn);
        RmapWalk(pfn, ref walk);
        return !walk.Failed && Phys.MapCount(pfn) == 0;
    }

    private struct UnmapWalk(Vmscan vmscan, int pfn) : IRmapVisitor
    {
        public bool Failed;

        public bool Visit(Vma vma, ulong addr, ref ulong entry)
        {
            if (!vmscan.UnmapOne(vma.Mm, vma, addr, pfn))
            {
                Failed = true;
                return false;
            }
            return vmscan.Phys.MapCount(pfn) > 0;
        }
    }

    /// <summary>What an rmap walk does at each PTE that maps the folio; false ends the walk.</summary>
    private interface IRmapVisitor
    {
        bool Visit(Vma vma, ulong addr, ref ulong entry);
    }

    /// <summary>
    /// rmap_walk(): visits each PTE that maps the folio, looking at its linear index in each VMA that may map it: the
    /// anon_vma's chains, or for a shmem folio every VMA of the file. Allocates nothing.
    /// </summary>
    private void RmapWalk<T>(int pfn, ref T visitor) where T : struct, IRmapVisitor
    {
        if (Phys.MapCount(pfn) == 0)
            return;
        ulong index = Phys.Index(pfn);
        if (Phys.Owner(pfn) is AnonVma anonVma)
        {
            var chains = anonVma.Chains;
            for (int i = 0; i < chains.Count; i++)
            {
                if (!VisitIn(chains[i].Vma, index, pfn, ref visitor))
                    return;
            }
        }
        else if (Phys.Owner(pfn) is ShmemFile file)
        {
            foreach (var p in kernel.ProcessTable)
            {
                if (p.Mm is not { } mm)
                    continue;
                foreach (var vma in mm.Vmas)
                {
                    if (vma.File == file && !VisitIn(vma, index, pfn, ref visitor))
                        return;
                }
            }
        }
    }

    private static bool VisitIn<T>(Vma vma, ulong index, int pfn, ref T visitor) where T : struct, IRmapVisitor
    {
        if (index < vma.PgOff || index - vma.PgOff >= vma.Pages)
            return true;
        ulong addr = vma.Start + ((index - vma.PgOff) << PhysicalMemory.PageShift);
        var table = vma.Mm.PageTables.LookupPteTable(addr);
        if (table is null)
            return true;
        ref ulong entry = ref table.Entries[PageTables.PteIndex(addr)];
        var pte = new Pte(entry);
        if (!pte.MapsFrame || pte.Pfn != pfn)
            return true;
        return visitor.Visit(vma, addr, ref entry);
    }

    private bool UnmapOne(MmStruct mm, Vma vma, ulong addr, int pfn)
    {
        var table = mm.PageTables.LookupPteTable(addr)!;
        int idx = PageTables.PteIndex(addr);
        var pte = new Pte(table.Entries[idx]);
        ref var flags = ref Phys.Flags(pfn);
        if ((vma.Flags & VmFlags.Locked) != 0)
        {
            mm.MlockFolio(pfn);
            return false;
        }
        if (pte.IsDirty)
            flags |= PageFlags.Dirty;
        if ((flags & PageFlags.Anon) != 0)
        {
            if ((flags & PageFlags.SwapBacked) == 0)
            {
                // MADV_FREE: discard when clean and nobody else holds the folio (our isolation reference aside).
                if (Phys.RefCount(pfn) == 1 + Phys.MapCount(pfn) && (flags & PageFlags.Dirty) == 0)
                {
                    table.Entries[idx] = 0;
                    mm.RssAnon--;
                    mm.RemoveRmap(pfn, vma);
                    return true;
                }
                flags |= PageFlags.SwapBacked;
                return false;
            }
            var entry = SwapEntry.FromRaw(Phys.SwapSlot(pfn));
            Swap.Dup(entry);
            bool exclusive = (flags & PageFlags.AnonExclusive) != 0;
            // folio_try_share_anon_rmap_pte(): the page is no longer exclusive while it is unmapped.
            flags &= ~PageFlags.AnonExclusive;
            ulong raw = Pte.SwapEntry(entry.Type, (ulong)entry.Offset).Raw;
            if (exclusive)
                raw |= Pte.SwpExclusive;
            if (pte.IsUffdWp)
                raw |= Pte.SwpUffdWp;
            table.Entries[idx] = raw;
            mm.RssAnon--;
            mm.SwapEnts++;
        }
        else
        {
            // A file page's PTE goes; a VMA registered for uffd-wp keeps the protection in a marker.
            table.Entries[idx] = pte.IsUffdWp && (vma.Flags & VmFlags.UffdWp) != 0 ? Pte.Marker(Pte.MarkerUffdWp).Raw : 0;
            mm.AddRss(pfn, -1);
        }
        mm.RemoveRmap(pfn, vma);
        return true;
    }
}

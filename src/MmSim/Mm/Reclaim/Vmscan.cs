using MmSim.Mm.Swap;

namespace MmSim.Mm.Reclaim;

/// <summary>
/// Page reclaim of single folios (mm/vmscan.c shrink_folio_list() and mm/rmap.c try_to_unmap()), as
/// MADV_PAGEOUT's reclaim_pages() drives it: an anonymous folio gets a swap slot and its mappings become swap
/// entries, then it is written out; a clean lazyfree folio is discarded; a dirty shmem folio moves from the page cache
/// to the swap cache, a clean one is dropped. As on a swap file on a disk, writeback is asynchronous: a folio just written stays in the swap
/// cache (SwapCached, mincore 1), to be freed by a later reclaim; a zero-filled one is not written at all (the
/// device's zeromap) and is freed at once.
/// </summary>
internal sealed class Vmscan(Kernel kernel)
{
    private PhysicalMemory Phys => kernel.Phys;
    private SwapState Swap => kernel.Swap;

    /// <summary>The folios MADV_PAGEOUT isolated for one reclaim_pages() call: one list, reused, so reclaim allocates nothing.</summary>
    public List<int> Isolated { get; } = [];

    /// <summary>
    /// shrink_folio_list() with ignore_references, for one isolated folio. Returns whether it was freed.
    /// </summary>
    public bool ShrinkFolio(int pfn)
    {
        ref var flags = ref Phys.Flags(pfn);
        if ((flags & PageFlags.Anon) == 0)
            return ShrinkShmemFolio(pfn);
        if ((flags & PageFlags.Mlocked) != 0)
        {
            Activate(pfn);
            return false;
        }
        // The isolation's reference, so that unmapping every PTE cannot free the folio under us.
        Phys.Get(pfn);
        try
        {
            bool anon = (flags & PageFlags.Anon) != 0;
            bool lazyfree = anon && (flags & PageFlags.SwapBacked) == 0;
            if (anon && !lazyfree && (flags & PageFlags.SwapCache) == 0)
            {
                // folio_alloc_swap(): without a free slot the folio is activated and stays.
                if (!Swap.TryAlloc(out var entry))
                {
                    Activate(pfn);
                    return false;
                }
                Swap.AddToCache(entry, pfn);
                flags |= PageFlags.Dirty;
            }
            if (Phys.MapCount(pfn) > 0 && !TryToUnmap(pfn))
            {
                Activate(pfn);
                return false;
            }
            if (lazyfree)
            {
                // A lazyfree folio unmapped clean is freed without writing (PGLAZYFREED).
                if ((flags & PageFlags.Dirty) != 0)
                    return false;
                return true;
            }
            if ((flags & PageFlags.Dirty) != 0)
            {
                // pageout() → swap_writeout(): a zero-filled folio only sets the slot's zeromap bit, a synchronous
                // "write"; any other is written and left under writeback, so it stays in the swap cache (keep:).
                if (!WriteOut(pfn))
                    return false;
            }
            // __remove_mapping(): a clean folio nothing maps any more leaves the swap cache and is freed.
            if ((flags & PageFlags.SwapCache) != 0)
                Swap.DeleteFromCache(pfn);
            return true;
        }
        finally
        {
            Phys.Put(pfn);
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
    private bool ShrinkShmemFolio(int pfn)
    {
        if (Phys.Owner(pfn) is not ShmemFile file)
            return false;
        Phys.Get(pfn);
        try
        {
            if (Phys.MapCount(pfn) > 0 && !TryToUnmap(pfn))
            {
                Activate(pfn);
                return false;
            }
            ulong index = Phys.Index(pfn);
            ref var flags = ref Phys.Flags(pfn);
            if ((flags & PageFlags.Dirty) == 0)
            {
                file.Remove(index);
                kernel.NrShmem--;
                kernel.ShmemUnacctBlock(file);
                Phys.Owner(pfn) = null;
                Phys.Put(pfn); // the page cache's reference
                return true;
            }
            // shmem_writeout(): without a free slot the folio is redirtied and activated.
            if (!Swap.TryAlloc(out var entry))
            {
                Activate(pfn);
                return false;
            }
            file.Remove(index);
            file.SetSwap(index, entry);
            Swap.Dup(entry);
            Swap.AddToCache(entry, pfn);
            kernel.NrShmem--;
            Phys.Owner(pfn) = null;
            Phys.Put(pfn); // the page cache's reference: the swap cache's replaces it
            if (!WriteOut(pfn))
                return false;
            Swap.DeleteFromCache(pfn);
            return true;
        }
        finally
        {
            Phys.Put(pfn);
        }
    }

    /// <summary>folio_set_active() for a folio reclaim could not take (activate_locked:).</summary>
    private void Activate(int pfn)
    {
        ref var flags = ref Phys.Flags(pfn);
        // A folio in the swap cache that cannot go gives its slot back when swap is more than half full or it is mlocked.
        if ((flags & PageFlags.SwapCache) != 0 && (Swap.IsFull || (flags & PageFlags.Mlocked) != 0))
            Swap.FreeSwap(pfn);
        if ((flags & PageFlags.Mlocked) == 0)
            flags |= PageFlags.Active;
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
        ulong index = Phys.Index(pfn);
        if (Phys.Owner(pfn) is AnonVma anonVma)
        {
            var chains = anonVma.Chains;
            for (int i = 0; i < chains.Count && Phys.MapCount(pfn) > 0; i++)
            {
                if (!TryUnmapIn(chains[i].Vma, index, pfn))
                    return false;
            }
        }
        else if (Phys.Owner(pfn) is ShmemFile file)
        {
            foreach (var p in kernel.Processes)
            {
                if (p.Mm is not { } mm)
                    continue;
                foreach (var vma in mm.Vmas)
                {
                    if (vma.File == file && !TryUnmapIn(vma, index, pfn))
                        return false;
                }
            }
        }
        return Phys.MapCount(pfn) == 0;
    }

    /// <summary>Unmaps the folio where <paramref name="vma"/> maps <paramref name="index"/>, if it does; false if it must stay.</summary>
    private bool TryUnmapIn(Vma vma, ulong index, int pfn)
    {
        if (index < vma.PgOff || index - vma.PgOff >= vma.Pages)
            return true;
        ulong addr = vma.Start + ((index - vma.PgOff) << PhysicalMemory.PageShift);
        var pte = vma.Mm.PageTables.Lookup(addr);
        if (!pte.MapsFrame || pte.Pfn != pfn)
            return true;
        return UnmapOne(vma.Mm, vma, addr, pfn);
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

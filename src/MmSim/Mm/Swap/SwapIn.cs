using MmSim.Mm.Swap;

namespace MmSim.Mm;

// Swap-in faults and the swap side of zapping (mm/memory.c do_swap_page(), mm/swap_state.c, mm/swapfile.c).
internal sealed partial class MmStruct
{
    internal SwapState Swap => Kernel.Swap;

    /// <summary>
    /// do_swap_page(): the page at addr is in swap slot <paramref name="pte"/>. A folio the swap cache still holds
    /// is mapped again (a minor fault); otherwise swap_cluster_readahead() reads the slot, with the in-use slots of
    /// the aligned window swapin_nr_pages() chooses, into new swap-cache folios (a major fault). The page is mapped
    /// writable at once when the entry was exclusive; a write fault then frees the slot when the folio is ours alone
    /// (should_try_to_free_swap()), as does any fault on a locked VMA or with swap more than half full.
    /// </summary>
    private FaultError DoSwapPage(Vma vma, PteTable table, int idx, ulong addr, bool write, Pte pte)
    {
        var entry = SwapEntry.FromPte(pte);
        if (!Kernel.SwapinFolio(entry, Owner, out int pfn))
            return FaultError.Oom;
        ref var flags = ref Phys.Flags(pfn);
        bool exclusive = pte.IsSwpExclusive;
        // The folio is mapped: a reference and a mapcount for this PTE; the slot loses this PTE's reference.
        Phys.Get(pfn);
        Swap.Put(entry);
        if ((flags & PageFlags.SwapCache) != 0 && ShouldTryToFreeSwap(vma, pfn, write))
            Swap.FreeSwap(pfn);
        RssAnon++;
        SwapEnts--;
        ulong bits = Pte.Accessed;
        if (pte.IsUffdWp)
            bits |= Pte.UffdWp;
        bool mapExclusive = exclusive || Phys.RefCount(pfn) == 1;
        if (mapExclusive)
        {
            // pte_mkuffd_wp() write-protects: a protected entry is never mapped writable (only VMAs registered for WP
            // keep the bit; unregistering, fork and mremap clear it).
            if ((vma.Flags & VmFlags.Write) != 0 && !pte.IsUffdWp)
            {
                bits |= Pte.Write;
                if (write)
                {
                    bits |= Pte.Dirty;
                    write = false;
                }
            }
        }
        if ((flags & PageFlags.Anon) == 0)
        {
            // __folio_set_anon(): a folio not exclusive to this VMA (its slot is still shared, with a fork parent or
            // child) takes the oldest anon_vma, the root, so that every process still holding the entry reaches it.
            var anonVma = Rmap.Prepare(vma);
            NewAnonRmap(pfn, mapExclusive ? anonVma : anonVma.Root, vma.LinearPageIndex(addr), vma, newFolio: false);
            if (!mapExclusive)
                flags &= ~PageFlags.AnonExclusive;
        }
        else
        {
            // folio_add_anon_rmap_ptes(): RMAP_EXCLUSIVE marks the page exclusive again; mlock_vma_folio() in a locked VMA.
            Phys.MapCount(pfn)++;
            if ((vma.Flags & VmFlags.Locked) != 0)
                MlockFolio(pfn);
            if (mapExclusive)
                flags |= PageFlags.AnonExclusive;
        }
        table.Entries[idx] = Pte.Make(pfn, bits).Raw;
        if (write)
            return DoWpPage(vma, table, idx, addr, new Pte(table.Entries[idx]));
        return FaultError.None;
    }

    /// <summary>
    /// should_try_to_free_swap(): swap more than half full, or a locked VMA or folio; else a write fault when the folio
    /// has no user but the swap cache (we are about to map it writable).
    /// </summary>
    private bool ShouldTryToFreeSwap(Vma vma, int pfn, bool write)
    {
        if (Swap.IsFull || (vma.Flags & VmFlags.Locked) != 0 || (Phys.Flags(pfn) & PageFlags.Mlocked) != 0)
            return true;
        if (!write)
            return false;
        // A folio just read in still waits in the lru_add batch, whose reference would count; measured on 6.18, a write
        // fault frees the slot all the same, so the batch is taken to be drained first.
        if (!Kernel.Lru.IsOnLru(pfn))
            Kernel.LruAddDrain();
        // Our reference (taken above) and the cache's.
        return Phys.RefCount(pfn) == 2;
    }

    /// <summary>
    /// The swap entry of a PTE being zapped (zap_nonpresent_ptes() → free_swap_and_cache()): the reference goes; a
    /// folio the swap cache then holds alone is reclaimed at once when nothing maps it (TTRS_UNMAPPED), or when swap
    /// is more than half full (TTRS_FULL).
    /// </summary>
    internal void FreeSwapAndCache(Pte pte)
    {
        var entry = SwapEntry.FromPte(pte);
        SwapEnts--;
        if (!Swap.Put(entry))
            return;
        int pfn = Swap.CachePfn(entry);
        if (Phys.MapCount(pfn) == 0 || Swap.IsFull)
            Swap.FreeSwap(pfn);
    }

    /// <summary>
    /// free_swap_cache() for a folio a zap unmapped, before its reference is dropped: a folio in the swap cache that
    /// nothing maps and no swap entry refers to leaves the cache.
    /// </summary>
    internal void FreeSwapCache(int pfn)
    {
        if ((Phys.Flags(pfn) & PageFlags.SwapCache) != 0 && Phys.MapCount(pfn) == 0)
            Swap.FreeSwap(pfn);
    }
}

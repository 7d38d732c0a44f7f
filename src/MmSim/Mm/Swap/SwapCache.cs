using MmSim.Mm;
using MmSim.Mm.Swap;

namespace MmSim;

// Reading swap back (mm/swap_state.c swapin_readahead(), swap_cluster_readahead()) and shmem's side of swap
// (mm/shmem.c shmem_swapin_folio(), shmem_free_swap()): what anonymous faults, shmem faults and truncation share.
public sealed partial class Kernel
{
    /// <summary>
    /// The folio holding swap slot <paramref name="entry"/>: the swap cache's (a minor fault; a folio read ahead counts
    /// a readahead hit), else one read in by swap_cluster_readahead() with the in-use slots of the aligned window
    /// swapin_nr_pages() chooses (a major fault). The folio is in the swap cache, which holds its only reference.
    /// False when no frame could be had even after the OOM killer ran on behalf of <paramref name="current"/>.
    /// </summary>
    internal bool SwapinFolio(SwapEntry entry, Process current, out int pfn)
    {
        pfn = Swap.CachePfn(entry);
        if (pfn >= 0)
        {
            ref var f = ref Phys.Flags(pfn);
            if ((f & PageFlags.Readahead) != 0)
            {
                f &= ~PageFlags.Readahead;
                Swap.ReadaheadHit();
                VmStat.SwapRaHit++;
            }
            return true;
        }
        var dev = Swap.Device(entry);
        int mask = Swap.ReadaheadPages(entry.Offset) - 1;
        if (mask != 0)
        {
            int start = entry.Offset & ~mask, end = entry.Offset | mask;
            if (start == 0)
                start = 1;
            if (end >= dev.Pages)
                end = dev.Pages - 1;
            for (int offset = start; offset <= end; offset++)
            {
                if (offset == entry.Offset || dev.Count(offset) == 0 || dev.CachePfn(offset) >= 0)
                    continue;
                if (!Phys.TryAlloc(out int ra))
                    continue;
                ReadSwapFolio(new SwapEntry(entry.Type, offset), ra);
                Phys.Flags(ra) |= PageFlags.Readahead;
                VmStat.SwapRa++;
            }
        }
        while (!Phys.TryAlloc(out pfn))
        {
            if (!AllocSlowPath(current))
                return false;
        }
        ReadSwapFolio(entry, pfn);
        VmStat.PgMajFault++;
        return true;
    }

    /// <summary>
    /// read_swap_cache_async(): the slot's page is read into the swap cache unless it is there already (or no frame is
    /// free), without readahead and without mapping it.
    /// </summary>
    internal void ReadSwapCacheAsync(SwapEntry entry)
    {
        if (Swap.CachePfn(entry) >= 0 || Swap.Count(entry) == 0 || !Phys.TryAlloc(out int pfn))
            return;
        ReadSwapFolio(entry, pfn);
    }

    /// <summary>__read_swap_cache_async() + swap_read_folio(): a new folio (swap-backed, not yet anonymous) caches the slot.</summary>
    private void ReadSwapFolio(SwapEntry entry, int pfn)
    {
        // workingset_refault(): the slot's page was evicted by reclaim moments ago (a refault distance far below the
        // workingset), so the folio comes back active.
        Phys.Flags(pfn) |= PageFlags.SwapBacked | PageFlags.Uptodate;
        Swap.AddToCache(entry, pfn);
        Phys.Put(pfn); // the allocation's reference: the cache's is the one left
        Lru.Add(pfn, active: true);
        if (Swap.Device(entry).IsZero(entry.Offset))
            VmStat.SwpinZero++;
        else
            VmStat.PswpIn++;
        Swap.Read(entry, pfn);
    }

    /// <summary>
    /// shmem_swapin_folio(): page <paramref name="index"/> of the file is back in its page cache from swap slot
    /// <paramref name="entry"/>, dirty; the folio leaves the swap cache and the slot is freed. Oom when no frame could be had.
    /// </summary>
    internal FaultError ShmemSwapin(ShmemFile file, ulong index, SwapEntry entry, Process current, out int pfn)
    {
        if (!SwapinFolio(entry, current, out pfn))
            return FaultError.Oom;
        ref var f = ref Phys.Flags(pfn);
        f = (f & ~PageFlags.Readahead) | PageFlags.SwapBacked | PageFlags.Uptodate | PageFlags.Dirty;
        Phys.Owner(pfn) = file;
        Phys.Index(pfn) = index;
        Phys.Get(pfn); // the page cache's reference
        file.Add(index, pfn);
        file.RemoveSwap(index);
        NrShmem++;
        Swap.DeleteFromCache(pfn);
        Swap.Put(entry);
        return FaultError.None;
    }

    /// <summary>
    /// shmem_free_swap(): a swapped-out page of the file goes (truncation, hole punch, the file's release): the slot's
    /// reference is dropped, and a folio the swap cache then holds alone is freed.
    /// </summary>
    internal void ShmemFreeSwap(ShmemFile file, ulong index, SwapEntry entry)
    {
        file.RemoveSwap(index);
        if (Swap.Put(entry))
            Swap.FreeSwap(Swap.CachePfn(entry));
    }
}

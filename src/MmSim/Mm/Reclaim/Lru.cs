namespace MmSim.Mm.Reclaim;

/// <summary>
/// The LRU lists' state of each folio (PG_lru, PG_active, PG_referenced; mlocked folios are the unevictable list)
/// and the CPU's folio batches of mm/swap.c that change it: a new folio waits in the lru_add batch before it is on a
/// list; activation, deactivation (MADV_COLD) and lazyfreeing (MADV_FREE) of a folio on a list wait in batches of
/// their own, the folio staying on its list meanwhile (6.18 takes PG_lru only when the batch moves it). Each batch holds a reference to its folios and moves them when it fills (31 folios,
/// FOLIO_BATCH_SIZE) or at an lru_add_drain(): MADV_COLD, MADV_PAGEOUT, MADV_FREE and MADV_WILLNEED, the end of
/// MADV_POPULATE_*, mlock and munlock, a write fault that would reuse a folio not on a list, and meminfo (the kernel
/// runner drains every CPU's batches before reading it); measured on 6.18, munmap and exit do not. The model runs
/// every task on one CPU, so there is one set of batches. (On a real machine other processes fill the same CPU's
/// batches, so a folio's list state before a drain is not deterministic there.)
/// The lists' order (for reclaim) is not kept yet: meminfo's Active/Inactive figures come from the flags.
/// </summary>
internal sealed class Lru(PhysicalMemory phys, VmStat vmstat)
{
    /// <summary>FOLIO_BATCH_SIZE.</summary>
    public const int BatchSize = 31;

    // Drained in lru_add_drain_cpu()'s order.
    private readonly List<int> _add = new(BatchSize);
    private readonly List<int> _deactivate = new(BatchSize);
    private readonly List<int> _lazyfree = new(BatchSize);
    private readonly List<int> _activate = new(BatchSize);
    // mm/mlock.c's mlock_fbatch: mlock_folio(), mlock_new_folio() and munlock_folio() queue here (the flags change at
    // once in the model); drained after the others (mlock_drain_local()). A new folio's entry carries NewFolio
    // (mlock_new()): it joins a list when moved, where the others only move if they are on one.
    private readonly List<int> _mlock = new(BatchSize);
    private const int NewFolio = 1 << 30;

    /// <summary>Every folio waiting in a batch, once per batch it is in, for Validate()'s reference counts.</summary>
    public IEnumerable<int> Pending =>
        _add.Concat(_deactivate).Concat(_lazyfree).Concat(_activate).Concat(_mlock.Select(e => e & ~NewFolio));

    public bool IsOnLru(int pfn) => (phys.Flags(pfn) & PageFlags.Lru) != 0;

    /// <summary>folio_add_lru(): a new folio, inactive unless <paramref name="active"/> (a refault), joins the lru_add batch.</summary>
    public void Add(int pfn, bool active = false)
    {
        if (active)
            phys.Flags(pfn) |= PageFlags.Active;
        else
            phys.Flags(pfn) &= ~PageFlags.Active;
        Queue(_add, pfn);
    }

    /// <summary>
    /// folio_putback_lru(): a folio reclaim isolated and kept goes back through the lru_add batch, active or not as
    /// reclaim left it; the isolation's reference is the batch's now.
    /// </summary>
    public void Putback(int pfn)
    {
        _add.Add(pfn);
        if (_add.Count == BatchSize)
            Move(_add);
    }

    /// <summary>folio_isolate_lru(): off its list, PG_lru clear; the caller holds a reference. False if it was on none.</summary>
    public bool Isolate(int pfn)
    {
        if (!phys.TryGetLru(pfn, out _))
            return false;
        phys.LruDel(pfn);
        phys.Get(pfn);
        return true;
    }

    /// <summary>
    /// move_folios_to_lru() for one folio reclaim kept: to the head of the list its flags choose (or the tail,
    /// folio_rotate_reclaimable()'s place for a folio whose writeback ended), dropping the isolation's reference.
    /// </summary>
    public void MoveToLru(int pfn, bool tail = false)
    {
        if (phys.RefCount(pfn) > 1)
        {
            ref var f = ref phys.Flags(pfn);
            if ((f & PageFlags.Mlocked) != 0)
                f &= ~PageFlags.Active;
            phys.LruAdd(pfn, LruLists.For(f), tail);
        }
        phys.Put(pfn);
    }

    /// <summary>
    /// folio_mark_accessed(): an unreferenced folio becomes referenced; a referenced inactive one is activated (at once
    /// if it still waits in the lru_add batch, through the activate batch if on a list) and loses the flag; an active
    /// or unevictable one keeps it.
    /// </summary>
    public void MarkAccessed(int pfn)
    {
        ref var f = ref phys.Flags(pfn);
        if ((f & PageFlags.Referenced) == 0)
        {
            f |= PageFlags.Referenced;
            return;
        }
        if ((f & (PageFlags.Mlocked | PageFlags.Active)) != 0)
            return;
        if ((f & PageFlags.Lru) != 0)
            Activate(pfn);
        else if (_add.Contains(pfn))
            f |= PageFlags.Active; // __lru_cache_activate_folio()
        f &= ~PageFlags.Referenced;
    }

    /// <summary>folio_activate(): an inactive, evictable folio waits in the activate batch (still on its list).</summary>
    public void Activate(int pfn)
    {
        if ((phys.Flags(pfn) & (PageFlags.Active | PageFlags.Mlocked)) == 0)
            Queue(_activate, pfn);
    }

    /// <summary>folio_deactivate(): an active, evictable folio waits in the deactivate batch.</summary>
    public void Deactivate(int pfn)
    {
        if ((phys.Flags(pfn) & (PageFlags.Active | PageFlags.Mlocked)) == PageFlags.Active)
            Queue(_deactivate, pfn);
    }

    /// <summary>folio_mark_lazyfree(): an anonymous, swap-backed folio outside the swap cache and not mlocked waits in the lazyfree batch.</summary>
    public void MarkLazyfree(int pfn)
    {
        if ((phys.Flags(pfn) & (PageFlags.Anon | PageFlags.SwapBacked | PageFlags.SwapCache | PageFlags.Mlocked))
            == (PageFlags.Anon | PageFlags.SwapBacked))
            Queue(_lazyfree, pfn);
    }

    /// <summary>
    /// mlock_folio(), mlock_new_folio(), munlock_folio(): the folio waits in the mlock batch, which holds a reference
    /// (so a write fault on it copies rather than reuses until the batch drains); a new folio joins its list when the
    /// batch moves it.
    /// </summary>
    public void QueueMlock(int pfn, bool isNew = false)
    {
        phys.Get(pfn);
        _mlock.Add(isNew ? pfn | NewFolio : pfn);
        if (_mlock.Count == BatchSize)
            Move(_mlock);
    }

    private void Queue(List<int> batch, int pfn)
    {
        phys.Get(pfn);
        batch.Add(pfn);
        if (batch.Count == BatchSize)
            Move(batch);
    }

    /// <summary>lru_add_drain(): every batch moves its folios to their lists and drops its references.</summary>
    public void Drain()
    {
        Move(_add);
        Move(_deactivate);
        Move(_lazyfree);
        Move(_activate);
        Move(_mlock);
    }

    private void Move(List<int> batch)
    {
        if (batch.Count == 0)
            return;
        foreach (int entry in batch)
        {
            int pfn = entry & ~NewFolio;
            ref var f = ref phys.Flags(pfn);
            bool onLru = phys.TryGetLru(pfn, out var list);
            if (batch == _add || (batch == _mlock && (entry & NewFolio) != 0))
            {
                // lru_add() and __mlock_new_folio(): the folio joins a list, unless it was freed meanwhile (only the
                // batch's reference left); an unevictable folio is not active.
                if (!onLru && phys.RefCount(pfn) > 1)
                {
                    if ((f & PageFlags.Mlocked) != 0)
                        f &= ~PageFlags.Active;
                    phys.LruAdd(pfn, LruLists.For(f));
                }
                phys.Put(pfn);
                continue;
            }
            // folio_batch_move_lru(): a folio that left its list meanwhile (isolated, or freed) is not moved.
            if (!onLru)
            {
                phys.Put(pfn);
                continue;
            }
            bool move = true;
            if (batch == _deactivate)
            {
                // lru_deactivate(): off the active list, unreferenced, to the inactive list's head.
                move = (f & (PageFlags.Active | PageFlags.Mlocked)) == PageFlags.Active;
                if (move)
                {
                    f &= ~(PageFlags.Active | PageFlags.Referenced);
                    vmstat.PgDeactivate++;
                }
            }
            else if (batch == _lazyfree)
            {
                // lru_lazyfree(): to the inactive file list, no longer swap-backed: reclaim may discard it while clean.
                move = (f & (PageFlags.Anon | PageFlags.SwapBacked | PageFlags.SwapCache | PageFlags.Mlocked)) == (PageFlags.Anon | PageFlags.SwapBacked);
                if (move)
                {
                    f &= ~(PageFlags.Active | PageFlags.Referenced | PageFlags.SwapBacked);
                    vmstat.PgLazyFree++;
                }
            }
            else if (batch == _activate)
            {
                // lru_activate(): an inactive, evictable folio to the active list's head.
                move = (list is LruList.InactiveAnon or LruList.InactiveFile) && (f & PageFlags.Mlocked) == 0;
                if (move)
                {
                    f |= PageFlags.Active;
                    vmstat.PgActivate++;
                }
            }
            else
            {
                // __mlock_folio() / __munlock_folio(): to the unevictable list, or back to an evictable one.
                if ((f & PageFlags.Mlocked) != 0)
                    f &= ~PageFlags.Active;
                move = LruLists.For(f) != list;
            }
            if (move)
            {
                phys.LruDel(pfn);
                phys.LruAdd(pfn, LruLists.For(f));
            }
            phys.Put(pfn);
        }
        batch.Clear();
    }
}

namespace MmSim.Mm.Reclaim;

/// <summary>
/// scan_control: one reclaim pass's goal, priority and what it found. The scan of each list is its size shifted
/// right by the priority, which drops from DEF_PRIORITY (12: 1/4096 of each list) towards 0 (all of it).
/// </summary>
internal struct ScanControl
{
    public const int DefPriority = 12;

    public long NrToReclaim;
    public long NrReclaimed;
    public long NrScanned;
    public int Priority;
    /// <summary>current_is_kswapd(): counts go to the _kswapd counters, and the scan is never proportional.</summary>
    public bool Kswapd;
    public bool MayDeactivateAnon;
    public bool MayDeactivateFile;
    public bool CacheTrimMode;
    public bool FileIsTiny;
}

// The LRU scanning of mm/vmscan.c in Linux 6.18 without MGLRU (this machine has no lru_gen): shrink_node(),
// shrink_lruvec(), get_scan_count(), shrink_active_list() and shrink_inactive_list(). One node, one zone, one lruvec:
// the model has no NUMA and no memory cgroups. Workingset refault detection (shadow entries) is not modelled, so
// "refaults" never force deactivation.
internal sealed partial class Vmscan
{
    /// <summary>SWAP_CLUSTER_MAX: folios isolated at a time, and direct reclaim's goal.</summary>
    public const int SwapClusterMax = 32;

    // lruvec->anon_cost and file_cost: the recent cost of reclaiming each kind (I/O and rotations), decayed.
    private long _anonCost;
    private long _fileCost;

    // The folios isolated by one shrink_*_list() call, and those shrink_active_list() sends to each list.
    private readonly List<int> _hold = new(SwapClusterMax);
    private readonly List<int> _toActive = new(SwapClusterMax);
    private readonly List<int> _toInactive = new(SwapClusterMax);

    /// <summary>
    /// shrink_node() for the one node: prepare_scan_control()'s decisions (deactivate a list whose inactive part is
    /// low; cache_trim_mode while inactive file folios are plentiful; file_is_tiny when file and free memory together
    /// are under the high watermark), then shrink_lruvec().
    /// </summary>
    public void ShrinkNode(ref ScanControl sc)
    {
        sc.MayDeactivateAnon = InactiveIsLow(LruList.InactiveAnon);
        sc.MayDeactivateFile = InactiveIsLow(LruList.InactiveFile);
        long inactiveFile = Phys.LruSize(LruList.InactiveFile);
        sc.CacheTrimMode = (inactiveFile >> sc.Priority) != 0 && !sc.MayDeactivateFile;
        long file = inactiveFile + Phys.LruSize(LruList.ActiveFile);
        long anon = Phys.LruSize(LruList.InactiveAnon) + Phys.LruSize(LruList.ActiveAnon);
        sc.FileIsTiny = file + Phys.FreeFrames <= Phys.WmarkHigh && !sc.MayDeactivateAnon && (anon >> sc.Priority) != 0;
        ShrinkLruvec(ref sc);
    }

    /// <summary>
    /// inactive_is_low(): the inactive list is small beside the active one; the wanted ratio grows with the square
    /// root of the lists' size in GiB (1:1 under 1 GiB).
    /// </summary>
    private bool InactiveIsLow(LruList inactive)
    {
        long inactivePages = Phys.LruSize(inactive);
        long active = Phys.LruSize(inactive + 1);
        long gb = (inactivePages + active) >> (30 - PhysicalMemory.PageShift);
        long ratio = gb != 0 ? (long)Math.Sqrt(10 * gb) : 1;
        return inactivePages * ratio < active;
    }

    /// <summary>can_reclaim_anon_pages(): anonymous folios can go only while swap has a free slot.</summary>
    private bool CanReclaimAnon => Swap.FreePages > 0;

    /// <summary>
    /// get_scan_count(): how many folios of each evictable list to scan at this priority. Without free swap only
    /// the file lists; at priority 0 all lists alike; anon only when file pages are tiny; file only in cache-trim
    /// mode; otherwise by vm.swappiness, weighed by what each kind has recently cost.
    /// </summary>
    private void GetScanCount(ref ScanControl sc, Span<long> nr)
    {
        int swappiness = kernel.Swappiness;
        // 0: SCAN_EQUAL, 1: SCAN_FRACT, 2: SCAN_ANON, 3: SCAN_FILE
        int balance;
        if (!CanReclaimAnon)
            balance = 3;
        else if (sc.Priority == 0 && swappiness != 0)
            balance = 0;
        else if (sc.FileIsTiny)
            balance = 2;
        else if (sc.CacheTrimMode)
            balance = 3;
        else
            balance = 1;
        long ap = 0, fp = 0;
        if (balance == 1)
        {
            long total = _anonCost + _fileCost;
            long anonCost = total + _anonCost;
            long fileCost = total + _fileCost;
            total = anonCost + fileCost;
            ap = swappiness * (total + 1) / (anonCost + 1);
            fp = (200 - swappiness) * (total + 1) / (fileCost + 1);
        }
        for (int l = 0; l < (int)LruList.Unevictable; l++)
        {
            var list = (LruList)l;
            bool file = LruLists.IsFile(list);
            long scan = Phys.LruSize(list) >> sc.Priority;
            switch (balance)
            {
                case 1:
                    scan = ap + fp == 0 ? 0 : scan * (file ? fp : ap) / (ap + fp);
                    break;
                case 2:
                case 3:
                    if ((balance == 3) != file)
                        scan = 0;
                    break;
            }
            nr[l] = scan;
        }
    }

    /// <summary>
    /// shrink_lruvec(): scans the lists in SWAP_CLUSTER_MAX steps, round robin, until each has had its share or enough
    /// was reclaimed; kswapd then scans the other kind only in proportion to what it did not scan yet. Finally the
    /// active anon list is aged if its inactive part is low.
    /// </summary>
    private void ShrinkLruvec(ref ScanControl sc)
    {
        Span<long> nr = stackalloc long[LruLists.Count - 1];
        Span<long> targets = stackalloc long[LruLists.Count - 1];
        GetScanCount(ref sc, nr);
        nr.CopyTo(targets);
        long reclaimed = 0;
        long toReclaim = sc.NrToReclaim;
        bool proportional = !sc.Kswapd && sc.Priority == ScanControl.DefPriority;
        while (nr[(int)LruList.InactiveAnon] != 0 || nr[(int)LruList.ActiveFile] != 0 || nr[(int)LruList.InactiveFile] != 0)
        {
            for (int l = 0; l < nr.Length; l++)
            {
                if (nr[l] == 0)
                    continue;
                long n = Math.Min(nr[l], SwapClusterMax);
                nr[l] -= n;
                reclaimed += ShrinkList((LruList)l, (int)n, ref sc);
            }
            if (reclaimed < toReclaim || proportional)
                continue;
            long nrFile = nr[(int)LruList.InactiveFile] + nr[(int)LruList.ActiveFile];
            long nrAnon = nr[(int)LruList.InactiveAnon] + nr[(int)LruList.ActiveAnon];
            if (nrFile == 0 || nrAnon == 0)
                break;
            // Stop scanning the smaller kind; scale the other down by the share of its target already scanned.
            LruList stop, other;
            long percentage;
            if (nrFile > nrAnon)
            {
                long target = targets[(int)LruList.InactiveAnon] + targets[(int)LruList.ActiveAnon] + 1;
                percentage = nrAnon * 100 / target;
                stop = LruList.InactiveAnon;
                other = LruList.InactiveFile;
            }
            else
            {
                long target = targets[(int)LruList.InactiveFile] + targets[(int)LruList.ActiveFile] + 1;
                percentage = nrFile * 100 / target;
                stop = LruList.InactiveFile;
                other = LruList.InactiveAnon;
            }
            nr[(int)stop] = 0;
            nr[(int)stop + 1] = 0;
            for (int l = (int)other; l <= (int)other + 1; l++)
            {
                long scanned = targets[l] - nr[l];
                nr[l] = targets[l] * (100 - percentage) / 100;
                nr[l] -= Math.Min(nr[l], scanned);
            }
            proportional = true;
        }
        sc.NrReclaimed += reclaimed;
        if (CanReclaimAnon && InactiveIsLow(LruList.InactiveAnon))
            ShrinkActiveList(SwapClusterMax, LruList.ActiveAnon, ref sc);
    }

    /// <summary>shrink_list(): an active list is only aged (deactivated) when its inactive part is low.</summary>
    private long ShrinkList(LruList list, int nrToScan, ref ScanControl sc)
    {
        if (LruLists.IsActive(list))
        {
            if (LruLists.IsFile(list) ? sc.MayDeactivateFile : sc.MayDeactivateAnon)
                ShrinkActiveList(nrToScan, list, ref sc);
            return 0;
        }
        return ShrinkInactiveList(nrToScan, list, ref sc);
    }

    /// <summary>
    /// isolate_lru_folios(): up to <paramref name="nrToScan"/> folios from the list's tail (the oldest first) into
    /// <see cref="_hold"/>, each with a reference and PG_lru cleared. A folio being freed (no reference) stays.
    /// </summary>
    private int IsolateLruFolios(int nrToScan, LruList list)
    {
        _hold.Clear();
        int scanned = 0;
        int pfn = Phys.LruOldest(list);
        while (pfn >= 0 && scanned < nrToScan)
        {
            int next = Phys.LruNewer(pfn);
            scanned++;
            if (Phys.RefCount(pfn) > 0)
            {
                Phys.LruDel(pfn);
                Phys.Get(pfn);
                _hold.Add(pfn);
            }
            pfn = next;
        }
        return scanned;
    }

    /// <summary>
    /// shrink_active_list(): the oldest active folios lose PG_active and go to the head of the inactive list, whether
    /// or not their PTEs were young (folio_referenced() clears the bits: only executable file folios get another trip
    /// round the active list, and the model has none). Unevictable ones go back through the lru_add batch.
    /// </summary>
    private void ShrinkActiveList(int nrToScan, LruList list, ref ScanControl sc)
    {
        kernel.Lru.Drain();
        int scanned = IsolateLruFolios(nrToScan, list);
        kernel.VmStat.PgRefill += scanned;
        _toActive.Clear();
        _toInactive.Clear();
        foreach (int pfn in _hold)
        {
            ref var flags = ref Phys.Flags(pfn);
            if ((flags & PageFlags.Mlocked) != 0)
            {
                kernel.Lru.Putback(pfn);
                continue;
            }
            FolioReferenced(pfn, out _);
            if ((flags & PageFlags.Mlocked) != 0)
            {
                kernel.Lru.Putback(pfn);
                continue;
            }
            flags &= ~PageFlags.Active;
            _toInactive.Add(pfn);
        }
        foreach (int pfn in _toActive)
            kernel.Lru.MoveToLru(pfn);
        foreach (int pfn in _toInactive)
            kernel.Lru.MoveToLru(pfn);
        kernel.VmStat.PgDeactivate += _toInactive.Count;
        _hold.Clear();
    }

    /// <summary>
    /// shrink_inactive_list(): the oldest inactive folios through shrink_folio_list() with their references checked;
    /// the ones kept go back to the head of their list (a written one to the tail of the inactive list, where the end
    /// of its writeback rotates it: it is clean and goes at the next scan), and the cost of what was not freed is noted.
    /// </summary>
    private long ShrinkInactiveList(int nrToScan, LruList list, ref ScanControl sc)
    {
        kernel.Lru.Drain();
        int scanned = IsolateLruFolios(nrToScan, list);
        sc.NrScanned += scanned;
        if (sc.Kswapd)
            kernel.VmStat.PgScanKswapd += scanned;
        else
            kernel.VmStat.PgScanDirect += scanned;
        long reclaimed = 0, pageout = 0;
        // The isolated folios are worked on in the order they were taken, oldest first.
        for (int i = 0; i < _hold.Count; i++)
        {
            int pfn = _hold[i];
            var r = ShrinkFolio(pfn, ignoreReferences: false);
            if (r == ShrinkResult.Freed)
            {
                reclaimed++;
                Phys.Put(pfn);
                continue;
            }
            if (r == ShrinkResult.Written)
                pageout++;
            kernel.Lru.MoveToLru(pfn, tail: r == ShrinkResult.Written && (Phys.Flags(pfn) & PageFlags.Dirty) == 0);
        }
        _hold.Clear();
        if (sc.Kswapd)
            kernel.VmStat.PgStealKswapd += reclaimed;
        else
            kernel.VmStat.PgStealDirect += reclaimed;
        NoteCost(LruLists.IsFile(list), pageout, scanned - reclaimed);
        return reclaimed;
    }

    /// <summary>lru_note_cost(): I/O counts SWAP_CLUSTER_MAX times a rotation; both costs halve once they pass a quarter of the lists.</summary>
    private void NoteCost(bool file, long io, long rotated)
    {
        long cost = io * SwapClusterMax + rotated;
        if (file)
            _fileCost += cost;
        else
            _anonCost += cost;
        long lists = Phys.LruSize(LruList.InactiveAnon) + Phys.LruSize(LruList.ActiveAnon)
            + Phys.LruSize(LruList.InactiveFile) + Phys.LruSize(LruList.ActiveFile);
        if (_fileCost + _anonCost > lists / 4)
        {
            _fileCost /= 2;
            _anonCost /= 2;
        }
    }
}

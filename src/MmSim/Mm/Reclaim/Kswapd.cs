namespace MmSim.Mm.Reclaim;

// Reclaim under memory pressure: kswapd (balance_pgdat()) and direct reclaim (try_to_free_pages()), as the page
// allocator's slow path drives them, deterministically. kswapd runs as soon as it is woken, before the allocation
// that woke it goes on: the allocating task waits for it, where on a real machine it runs beside the task.
internal sealed partial class Vmscan
{
    /// <summary>MAX_RECLAIM_RETRIES: kswapd gives up after this many runs that reclaimed nothing (kswapd_failures).</summary>
    public const int MaxReclaimRetries = 16;

    private int _kswapdFailures;

    /// <summary>
    /// wakeup_kswapd() and one kswapd run (balance_pgdat()): unless it has failed too often, reclaim at falling
    /// priority until more than the high watermark is free. Each priority's goal is the high watermark; kswapd stays
    /// at a priority while it scans at least that much and reclaims something.
    /// </summary>
    public void WakeKswapd()
    {
        if (_kswapdFailures >= MaxReclaimRetries || Phys.FreeFrames > Phys.WmarkHigh)
            return;
        kernel.VmStat.PageOutRun++;
        var sc = new ScanControl { Priority = ScanControl.DefPriority, Kswapd = true };
        do
        {
            if (Phys.FreeFrames > Phys.WmarkHigh)
                break;
            long before = sc.NrReclaimed;
            sc.NrScanned = 0;
            sc.NrToReclaim = Math.Max(Phys.WmarkHigh, SwapClusterMax);
            ShrinkNode(ref sc);
            // kswapd_shrink_node(): scanning as much as the goal keeps the priority.
            bool raisePriority = sc.NrScanned < sc.NrToReclaim;
            if (raisePriority || sc.NrReclaimed == before)
                sc.Priority--;
        }
        while (sc.Priority >= 1);
        if (sc.NrReclaimed == 0)
            _kswapdFailures++;
        else
            _kswapdFailures = 0;
    }

    /// <summary>
    /// try_to_free_pages() → do_try_to_free_pages(): direct reclaim of SWAP_CLUSTER_MAX folios, at priorities from
    /// DEF_PRIORITY down to 0 until the goal is met. Returns the folios reclaimed; any progress lets kswapd try again.
    /// </summary>
    public long TryToFreePages()
    {
        kernel.VmStat.AllocStall++;
        var sc = new ScanControl { Priority = ScanControl.DefPriority, NrToReclaim = SwapClusterMax };
        do
        {
            ShrinkNode(ref sc);
            if (sc.NrReclaimed >= sc.NrToReclaim)
                break;
        }
        while (--sc.Priority >= 0);
        if (sc.NrReclaimed > 0)
            _kswapdFailures = 0;
        return sc.NrReclaimed;
    }
}

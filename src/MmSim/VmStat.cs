namespace MmSim;

/// <summary>
/// Machine-wide event counters, as /proc/vmstat keeps them (vm_event_states). Each is a named long;
/// <see cref="Lines"/> lists them in the order /proc/vmstat prints. The <c>mremap_*</c> counters are MmSim's
/// own: Linux has no such lines. They count the page-table entries mremap() moved at each level, so a
/// scenario can show that an aligned 1 GiB move is one PUD entry rather than 262,144 PTEs.
/// </summary>
public sealed class VmStat
{
    /// <summary>Processes killed by the OOM killer (oom_kill).</summary>
    public long OomKill { get; internal set; }

    /// <summary>Pages read in from swap (pswpin).</summary>
    public long PswpIn { get; internal set; }

    /// <summary>Pages written out to swap (pswpout).</summary>
    public long PswpOut { get; internal set; }

    /// <summary>Zero-filled pages swapped out without a write (swpout_zero).</summary>
    public long SwpoutZero { get; internal set; }

    /// <summary>Zero-filled pages swapped in without a read (swpin_zero).</summary>
    public long SwpinZero { get; internal set; }

    /// <summary>Major faults: faults that read a page from swap (pgmajfault).</summary>
    public long PgMajFault { get; internal set; }

    /// <summary>Swap-cache folios read ahead of need (swap_ra).</summary>
    public long SwapRa { get; internal set; }

    /// <summary>Faults that found a folio read ahead (swap_ra_hit).</summary>
    public long SwapRaHit { get; internal set; }

    /// <summary>Direct reclaim runs: allocations that stalled to reclaim (allocstall_normal; the model has one zone).</summary>
    public long AllocStall { get; internal set; }

    /// <summary>Folios moved to an active list (pgactivate).</summary>
    public long PgActivate { get; internal set; }

    /// <summary>Folios moved to an inactive list (pgdeactivate).</summary>
    public long PgDeactivate { get; internal set; }

    /// <summary>Folios MADV_FREE made lazyfree (pglazyfree).</summary>
    public long PgLazyFree { get; internal set; }

    /// <summary>Lazyfree folios reclaim discarded (pglazyfreed).</summary>
    public long PgLazyFreed { get; internal set; }

    /// <summary>Active folios scanned to be aged (pgrefill).</summary>
    public long PgRefill { get; internal set; }

    /// <summary>Folios kswapd reclaimed (pgsteal_kswapd).</summary>
    public long PgStealKswapd { get; internal set; }

    /// <summary>Folios direct reclaim reclaimed (pgsteal_direct).</summary>
    public long PgStealDirect { get; internal set; }

    /// <summary>Inactive folios kswapd scanned (pgscan_kswapd).</summary>
    public long PgScanKswapd { get; internal set; }

    /// <summary>Inactive folios direct reclaim scanned (pgscan_direct).</summary>
    public long PgScanDirect { get; internal set; }

    /// <summary>kswapd runs (pageoutrun).</summary>
    public long PageOutRun { get; internal set; }

    /// <summary>PTEs mremap() moved one at a time (MmSim's own).</summary>
    public long MremapPteMoved { get; internal set; }

    /// <summary>Whole PTE tables mremap() moved by moving a PMD entry (move_normal_pmd(); MmSim's own).</summary>
    public long MremapPmdMoved { get; internal set; }

    /// <summary>Whole PMD tables mremap() moved by moving a PUD entry (move_normal_pud(); MmSim's own).</summary>
    public long MremapPudMoved { get; internal set; }

    /// <summary>The counters as /proc/vmstat's "name value" lines, in its order; MmSim's own come last.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Lines =>
    [
        new("pswpin", PswpIn),
        new("pswpout", PswpOut),
        new("allocstall_normal", AllocStall),
        new("pgactivate", PgActivate),
        new("pgdeactivate", PgDeactivate),
        new("pglazyfree", PgLazyFree),
        new("pgmajfault", PgMajFault),
        new("pglazyfreed", PgLazyFreed),
        new("pgrefill", PgRefill),
        new("pgsteal_kswapd", PgStealKswapd),
        new("pgsteal_direct", PgStealDirect),
        new("pgscan_kswapd", PgScanKswapd),
        new("pgscan_direct", PgScanDirect),
        new("pageoutrun", PageOutRun),
        new("oom_kill", OomKill),
        new("swap_ra", SwapRa),
        new("swap_ra_hit", SwapRaHit),
        new("swpin_zero", SwpinZero),
        new("swpout_zero", SwpoutZero),
        new("mremap_pte_moved", MremapPteMoved),
        new("mremap_pmd_moved", MremapPmdMoved),
        new("mremap_pud_moved", MremapPudMoved),
    ];

    /// <summary>/proc/vmstat's text for these counters.</summary>
    public string Text()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (name, value) in Lines)
            sb.Append(name).Append(' ').Append(value).Append('\n');
        return sb.ToString();
    }
}

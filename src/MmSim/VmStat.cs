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

    /// <summary>PTEs mremap() moved one at a time (MmSim's own).</summary>
    public long MremapPteMoved { get; internal set; }

    /// <summary>Whole PTE tables mremap() moved by moving a PMD entry (move_normal_pmd(); MmSim's own).</summary>
    public long MremapPmdMoved { get; internal set; }

    /// <summary>Whole PMD tables mremap() moved by moving a PUD entry (move_normal_pud(); MmSim's own).</summary>
    public long MremapPudMoved { get; internal set; }

    /// <summary>The counters as /proc/vmstat's "name value" lines, in its order; MmSim's own come last.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Lines =>
    [
        new("oom_kill", OomKill),
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

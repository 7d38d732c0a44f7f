using System.Globalization;
using System.Text;
using MmSim.Abi;

namespace MmSim.Scenario.Diff;

/// <summary>Where a scenario first behaved differently on the two targets.</summary>
/// <param name="Pos">The statement after which they differed.</param>
/// <param name="Statement">Its source text.</param>
/// <param name="Aspect">What differed: the statement's result, or the state of one process's ranges.</param>
/// <param name="Left">The left target's lines for the aspect (normally the model).</param>
/// <param name="Right">The right target's lines (normally the kernel).</param>
public sealed record Divergence(SourcePos Pos, string Statement, string Aspect, IReadOnlyList<string> Left, IReadOnlyList<string> Right)
{
    /// <summary>The divergence as a unified diff, headed by file:line and the statement.</summary>
    public string Render(string leftName = "model", string rightName = "kernel")
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Pos.FileLine}: {Statement}\n");
        sb.Append(CultureInfo.InvariantCulture, $"--- {leftName}\n+++ {rightName}\n@@ {Aspect} @@\n");
        foreach (var line in LineDiff.Hunks(Left, Right))
            sb.Append(line).Append('\n');
        return sb.ToString();
    }
}

/// <summary>A known difference seen while diffing: its key, reason and where it showed first.</summary>
public sealed record KnownDifferenceHit(string Key, string Reason, SourcePos FirstPos, int Count);

public sealed record DiffResult(Divergence? Divergence, IReadOnlyList<KnownDifferenceHit> Known, ScenarioFailure? Error)
{
    public bool Same => Divergence is null && Error is null;
}

/// <summary>
/// Runs a scenario on two targets in lockstep (the model and the kernel) and reports the first statement after
/// which they differ: its result (return value and errno, signal and siginfo, bytes loaded, smaps fields), or
/// the state of the ranges the scenario works on in any process (maps lines, smaps fields, status counters).
/// </summary>
/// <remarks>
/// Each target has its own variable bindings, so an address is compared relative to the variables the
/// scenario bound: <c>$a+4K</c> on one side equals <c>$a+4K</c> on the other, wherever each placed <c>$a</c>.
/// The ranges compared are the fixed scenario window [0x100000000000, 0x200000000000) at absolute addresses,
/// every range a successful mmap() returned elsewhere (relative to that mmap's result), and the brk heap
/// (relative to the break brk() first returned). Status counters are compared as changes since the process's
/// baseline (for <c>$main</c>, its status before the first statement; a child inherits its parent's), because
/// the two targets start with different address spaces. A <c>meminfo()</c> statement compares Mlocked and
/// Unevictable as changes since the scenario started: the rest of /proc/meminfo is the whole machine's.
/// </remarks>
public sealed class ScenarioDiffer(KnownDifferences known)
{
    public const ulong WindowStart = 0x100000000000;
    public const ulong WindowEnd = 0x200000000000;

    private const int MeminfoRereads = 3;
    private static readonly TimeSpan s_meminfoRereadPause = TimeSpan.FromMilliseconds(200);

    private static readonly string[] s_smapsFields =
    [
        "Size", "Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
        "Referenced", "Anonymous", "LazyFree", "AnonHugePages", "Swap", "Locked", "THPeligible", "VmFlags",
    ];

    private static readonly string[] s_statusFields =
    [
        "VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
        "VmExe", "VmLib", "VmPTE", "VmSwap",
    ];

    /// <summary>Runs <paramref name="script"/> on both targets; <paramref name="left"/> is normally the model.</summary>
    public DiffResult Run(ScenarioScript script, IScenarioTarget left, IScenarioTarget right)
    {
        var l = new Side(left);
        var r = new Side(right);
        if (script.Statements.Any(s => s is CallStatement { Call.Name: "meminfo" }))
        {
            l.Meminfo = ProcText.ParseStatus(left.ProcMeminfo());
            r.Meminfo = ProcText.ParseStatus(right.ProcMeminfo());
        }
        var pairs = new List<ProcessPair> { new("main", left.Main, right.Main, Baseline(left.Main), Baseline(right.Main)) };
        var hits = new Dictionary<string, KnownDifferenceHit>(StringComparer.Ordinal);

        foreach (var statement in script.Statements)
        {
            CallStatement call;
            (CallFrame Frame, Outcome Outcome) a, b;
            try
            {
                if (statement is ResumedStatement resumed)
                {
                    // A call written <unfinished ...> that returned at once on both sides was compared then: its
                    // resumption has nothing left to compare. (Returning on one side only was a divergence.)
                    if (!Pending(resumed, left, l) && !Pending(resumed, right, r))
                        continue;
                    // The blocked call's outcome on each side, compared as the call's own result would be.
                    (call, a) = Resume(resumed, left, l);
                    (_, b) = Resume(resumed, right, r);
                }
                else
                {
                    call = (CallStatement)statement;
                    RequireFree(call, left, l);
                    RequireFree(call, right, r);
                    a = ScenarioRunner.Execute(call, left, l.Variables);
                    b = ScenarioRunner.Execute(call, right, r.Variables);
                    if (a.Outcome is Outcome.Blocked)
                        l.Unfinished[a.Frame.Process.Pid] = (call, a.Frame);
                    if (b.Outcome is Outcome.Blocked)
                        r.Unfinished[b.Frame.Process.Pid] = (call, b.Frame);
                }
                left.Settle();
                right.Settle();
            }
            catch (ScenarioRuntimeException e)
            {
                return new DiffResult(null, [.. hits.Values], new ScenarioFailure(ScenarioFailureKind.RuntimeError, statement.Pos, statement.Source, e.Message));
            }

            // smaps() results carry fields that may be known differences, as the state does.
            var (resultL, comparedL) = ResultLines(call, a, l);
            var (resultR, comparedR) = ResultLines(call, b, r);
            // meminfo() reads machine-wide counters, in which another process locking memory at that moment shows:
            // a difference is read again a few times before it counts. The call changes nothing, so this is safe.
            for (var reread = 0; reread < MeminfoRereads && call.Call.Name == "meminfo" && !comparedL.SequenceEqual(comparedR); reread++)
            {
                Thread.Sleep(s_meminfoRereadPause);
                a = ScenarioRunner.Execute(call, left, l.Variables);
                b = ScenarioRunner.Execute(call, right, r.Variables);
                (resultL, comparedL) = ResultLines(call, a, l);
                (resultR, comparedR) = ResultLines(call, b, r);
            }
            RecordKnown(resultL, resultR, call.Pos, hits);
            if (!comparedL.SequenceEqual(comparedR))
                return Diverged(call, "result", comparedL, comparedR, hits);

            Track(call, a.Frame, a.Outcome, l);
            Track(call, b.Frame, b.Outcome, r);
            ScenarioRunner.BindOnly(call, a.Frame, a.Outcome, l.Variables);
            ScenarioRunner.BindOnly(call, b.Frame, b.Outcome, r.Variables);
            if (call.Call.Name == "fork" && a.Outcome is Outcome.Returned { IsError: false } fa
                && b.Outcome is Outcome.Returned { IsError: false } fb
                && left.FindProcess((int)fa.Raw) is { } childL && right.FindProcess((int)fb.Raw) is { } childR)
            {
                var parent = pairs.First(p => p.Left.Tgid == a.Frame.Process.Tgid);
                string label = call.Expected is ExpectBind bind ? "$" + bind.Name : $"child{pairs.Count}";
                pairs.Add(new ProcessPair(label, childL, childR, parent.BaselineLeft, parent.BaselineRight));
            }

            foreach (var pair in pairs)
            {
                // A process lives while any of its tasks does; its state is read through a live one.
                bool aliveL = ProcessAlive(left, pair.Left), aliveR = ProcessAlive(right, pair.Right);
                if (aliveL != aliveR)
                    return Diverged(call, $"{pair.Label} alive", [$"alive={aliveL}"], [$"alive={aliveR}"], hits);
                var taskL = LiveTask(left, pair.Left);
                var taskR = LiveTask(right, pair.Right);
                if (taskL is null || taskR is null)
                    continue;
                var stateL = DescribeState(taskL, pair.BaselineLeft, l);
                var stateR = DescribeState(taskR, pair.BaselineRight, r);
                RecordKnown(stateL, stateR, call.Pos, hits);
                var compL = stateL.Where(x => x.Known is null).Select(x => x.Line).ToList();
                var compR = stateR.Where(x => x.Known is null).Select(x => x.Line).ToList();
                if (!compL.SequenceEqual(compR))
                    return Diverged(call, $"{pair.Label} state", compL, compR, hits);
            }
        }
        return new DiffResult(null, [.. hits.Values], null);
    }

    private static DiffResult Diverged(CallStatement call, string aspect, List<string> left, List<string> right,
        Dictionary<string, KnownDifferenceHit> hits) =>
        new(new Divergence(call.Pos, call.Source, aspect, left, right), [.. hits.Values], null);

    private sealed record ProcessPair(string Label, IScenarioProcess Left, IScenarioProcess Right,
        StructValue? BaselineLeft, StructValue? BaselineRight);

    /// <summary>What one target has done so far that the comparison needs: its bindings and its ranges.</summary>
    private sealed class Side(IScenarioTarget target)
    {
        public IScenarioTarget Target { get; } = target;
        public Dictionary<string, long> Variables { get; } = new(StringComparer.Ordinal) { [ScenarioRunner.MainVariable] = target.Main.Pid };
        /// <summary>The calls this side's tasks are blocked in, by tid.</summary>
        public Dictionary<int, (CallStatement Call, CallFrame Frame)> Unfinished { get; } = [];
        /// <summary>Variables bound to task ids: $main and the results of fork() and thread().</summary>
        public List<string> TaskVariables { get; } = [ScenarioRunner.MainVariable];
        /// <summary>Variables bound to addresses (from mmap/brk), the anchors for relative addresses.</summary>
        public HashSet<string> AddressVariables { get; } = new(StringComparer.Ordinal);
        /// <summary>Ranges outside the window returned by mmap, in order: their label is their index.</summary>
        public List<(ulong Start, ulong Length)> Mapped { get; } = [];
        /// <summary>The first break brk() returned: the heap's anchor.</summary>
        public ulong? Brk0 { get; set; }
        /// <summary>The last address an mmap placed without MAP_FIXED: placements compare as steps from it.</summary>
        public ulong? LastPlacement { get; set; }
        /// <summary>/proc/meminfo before the first statement, when the scenario reads meminfo().</summary>
        public StructValue? Meminfo { get; set; }
        /// <summary>Processes (by tgid) that called mlockall(MCL_CURRENT), which locks the kernel runner's own mappings too.</summary>
        public HashSet<int> LockedAll { get; } = [];
    }

    private static StructValue? Baseline(IScenarioProcess p) => p.IsAlive ? ProcText.ParseStatus(p.ProcStatus()) : null;

    /// <summary>Whether the task a resumed statement names is blocked in a call on this side.</summary>
    private static bool Pending(ResumedStatement resumed, IScenarioTarget target, Side side) =>
        side.Unfinished.ContainsKey(ScenarioRunner.FindTask(resumed.Pid, target, side.Variables).Pid);

    /// <summary>A task asleep in a call cannot make another: the statement is an error, not a difference.</summary>
    private static void RequireFree(CallStatement call, IScenarioTarget target, Side side)
    {
        var task = ScenarioRunner.FindTask(call.Pid, target, side.Variables);
        if (side.Unfinished.TryGetValue(task.Pid, out var busy))
            throw new ScenarioRuntimeException(ScenarioRunner.BlockedIn(task, busy.Call));
    }

    /// <summary>
    /// A resumed statement on one side: the unfinished call as written, with the resumed line's result, and its
    /// outcome (<c>still blocked</c> when it has not completed).
    /// </summary>
    private static (CallStatement Call, (CallFrame Frame, Outcome Outcome) Executed) Resume(ResumedStatement resumed,
        IScenarioTarget target, Side side)
    {
        var task = ScenarioRunner.FindTask(resumed.Pid, target, side.Variables);
        if (!side.Unfinished.Remove(task.Pid, out var blocked) || blocked.Call.Call.Name != resumed.Name)
            throw new ScenarioRuntimeException($"pid {task.Pid} has no unfinished {resumed.Name}() to resume");
        var call = blocked.Call with { Expected = resumed.Expected, Pos = resumed.Pos, Source = resumed.Source };
        var outcome = ScenarioRunner.Resumed(target, task, blocked.Frame) ?? new Outcome.Blocked(0);
        if (outcome is Outcome.Blocked)
            side.Unfinished[task.Pid] = blocked;
        return (call, (blocked.Frame, outcome));
    }

    /// <summary>
    /// A live task of <paramref name="first"/>'s process that is free to make calls: that task, else one of its
    /// threads. Null when every task is dead or asleep in a call (the process is not read then).
    /// </summary>
    private static IScenarioProcess? LiveTask(IScenarioTarget target, IScenarioProcess first) =>
        first.IsAlive && !target.IsBlocked(first) ? first
        : target.Processes.FirstOrDefault(t => t.Tgid == first.Tgid && t.IsAlive && !target.IsBlocked(t));

    private static bool ProcessAlive(IScenarioTarget target, IScenarioProcess first) =>
        first.IsAlive || target.Processes.Any(t => t.Tgid == first.Tgid && t.IsAlive);

    // ---- results ----

    /// <summary>A statement's result lines, each with its known difference if any, and the lines that are compared.</summary>
    private (List<StateLine> All, List<string> Compared) ResultLines(CallStatement call, (CallFrame Frame, Outcome Outcome) executed, Side side)
    {
        var all = Classify(DescribeOutcome(call, executed.Frame, executed.Outcome, side));
        return (all, all.Where(x => x.Known is null).Select(x => x.Line).ToList());
    }

    /// <summary>The result's lines, then what the call wrote through its out-parameters (getrlimit, capget).</summary>
    private List<string> DescribeOutcome(CallStatement call, CallFrame frame, Outcome outcome, Side side)
    {
        var lines = DescribeResult(call, outcome, side);
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (frame.Output(i) is { } written)
                lines.Add($"{call.Call.Params[i].Name} <- {call.Call.Params[i].Kind.Format(NameTaskIds(written, side))}");
        }
        return lines;
    }

    private List<string> DescribeResult(CallStatement call, Outcome outcome, Side side)
    {
        bool binds = call.Expected is ExpectBind;
        switch (outcome)
        {
            case Outcome.Returned { IsError: true } err:
                return [$"= {Strace.Failure(ErrnoInfo.FromReturn(err.Raw))}"];
            case Outcome.Returned ret when call.Call.Name is "fork":
                return [ret.Raw > 0 ? "= <child pid>" : $"= {ret.Raw}"];
            case Outcome.Returned ret when call.Call.Name is "thread":
                return [ret.Raw > 0 ? "= <new tid>" : $"= {ret.Raw}"];
            case Outcome.Returned ret when call.Call.Name is "getpid" or "gettid":
                // Ids differ between the targets: name them by the variable that holds the same id.
                return [$"= {TaskIdName(ret.Raw, side)}"];
            case Outcome.Returned { Pointer: true } ret:
                if (binds)
                    return ["= <address, bound>"];
                return [$"= {Address((ulong)ret.Raw, side, placement: call.Call.Name == "mmap")}"];
            case Outcome.Returned ret:
                return [$"= {ret.Raw}"];
            case Outcome.Signaled sig:
                return [$"= {Signal.Name(sig.Access.Signal)} {{si_code={Signal.CodeName(sig.Access.Signal, sig.Access.SiCode)}, si_addr={Address(sig.Access.SiAddr, side, placement: false)}}}"];
            case Outcome.Killed k:
                return [$"= +++ killed by {Signal.Name(k.Signal)} +++"];
            case Outcome.Exited e:
                return [$"= +++ exited with {e.Code} +++"];
            case Outcome.Blocked:
                return ["= <unfinished ...>"];
            case Outcome.Text t when call.Call.Name == "meminfo" && side.Meminfo is { } before:
                return MeminfoLines(ProcText.ParseStatus(t.Content), before);
            case Outcome.Text:
                return ["= <text, not compared>"];
            case Outcome.Produced when call.Call.Name == "vmstat":
                // Machine-wide counters, and MmSim's own mremap_* ones exist only in the model.
                return ["= <vmstat, not compared>"];
            case Outcome.Produced p when call.Call.Name is "pagemap" or "pageflags" or "swapinfo":
                // One page's flags: deterministic on both targets (no PFN shown).
                return [$"= {Strace.Value(p.Result)}"];
            case Outcome.Produced { Result: StructValue s } when s["start"] is NumberValue start && s["end"] is NumberValue end:
                return SmapsLines(s, side, RangeLabel((ulong)start.Value, (ulong)end.Value, side) ?? "<outside>");
            case Outcome.Produced { Result: StructValue }:
                // status(), smaps_rollup(): whole-process figures, compared as state deltas after the statement.
                return ["= <whole-process struct, compared as state>"];
            case Outcome.Produced p:
                return [$"= {Strace.Value(p.Result)}"];
            default:
                return [$"= {Strace.Result(outcome)}"];
        }
    }

    // The page counters the model keeps that a machine's other processes leave alone: locked pages, and swap (which
    // this machine has only when a scenario turns it on).
    private static readonly string[] s_meminfoFields = ["Mlocked", "Unevictable", "SwapCached", "SwapTotal", "SwapFree"];

    private static List<string> MeminfoLines(StructValue now, StructValue before) =>
        s_meminfoFields
            .Select(field => (now[field], before[field]) is (NumberValue v, NumberValue b)
                ? $"meminfo {field} {(v.Value - b.Value >= 0 ? "+" : "")}{v.Value - b.Value} kB"
                : $"meminfo {field} missing")
            .ToList();

    /// <summary>
    /// A written value with the thread ids in it (uffd_msg's ptid) replaced by the variables that hold them, since ids
    /// differ between the targets. Other fields are kept.
    /// </summary>
    private static ScenarioValue NameTaskIds(ScenarioValue value, Side side) => value switch
    {
        StructValue s => new StructValue(s.Fields.Select(f => new KeyValuePair<string, ScenarioValue>(f.Key,
            f.Key == "ptid" && f.Value is NumberValue { Value: not 0 } id
                ? StringValue.FromText(TaskIdName(id.Value, side))
                : NameTaskIds(f.Value, side))).ToList()),
        ArrayValue a => new ArrayValue(a.Items.Select(i => NameTaskIds(i, side)).ToList()),
        _ => value,
    };

    /// <summary>A pid or tid as the scenario names it: the variable bound to it (fork(), thread(), $main), or &lt;pid&gt;.</summary>
    private static string TaskIdName(long id, Side side)
    {
        foreach (var name in side.TaskVariables)
        {
            if (side.Variables.TryGetValue(name, out var value) && value == id)
                return "$" + name;
        }
        return "<pid>";
    }

    /// <summary>An address as the scenario can name it on both targets: absolute in the window, else relative.</summary>
    private static string Address(ulong addr, Side side, bool placement)
    {
        if (addr is >= WindowStart and < WindowEnd)
            return Strace.Hex((long)addr);
        string? best = null;
        ulong bestDistance = ulong.MaxValue;
        foreach (var name in side.AddressVariables)
        {
            ulong v = (ulong)side.Variables[name];
            ulong d = addr >= v ? addr - v : v - addr;
            if (d < bestDistance && d < 1UL << 32)
            {
                bestDistance = d;
                best = addr >= v ? $"${name}+{Strace.Hex((long)d)}" : $"${name}-{Strace.Hex((long)d)}";
            }
        }
        if (best is not null)
            return best;
        for (int i = 0; i < side.Mapped.Count; i++)
        {
            var (start, length) = side.Mapped[i];
            if (addr >= start && addr < start + length)
                return $"@mmap{i}+{Strace.Hex((long)(addr - start))}";
        }
        if (side.Brk0 is { } brk && addr >= brk - (1UL << 30) && addr < brk + (1UL << 30))
            return addr >= brk ? $"@brk0+{Strace.Hex((long)(addr - brk))}" : $"@brk0-{Strace.Hex((long)(brk - addr))}";
        if (placement)
        {
            // The first placement anywhere is accepted; later ones must step from the previous one alike.
            if (side.LastPlacement is not { } last)
                return "<first placement>";
            return addr >= last ? $"@placement+{Strace.Hex((long)(addr - last))}" : $"@placement-{Strace.Hex((long)(last - addr))}";
        }
        return "<address outside the scenario's ranges>";
    }

    private static void Track(CallStatement call, CallFrame frame, Outcome outcome, Side side)
    {
        if (call.Call.Name == "mlockall" && (frame.I32(0) & MmSim.Abi.Mlock.MCL_CURRENT) != 0 && outcome is Outcome.Returned { IsError: false })
            side.LockedAll.Add(frame.Process.Tgid);
        if (call.Call.Name is "fork" or "thread" && call.Expected is ExpectBind task && outcome is Outcome.Returned { IsError: false, Raw: > 0 })
            side.TaskVariables.Add(task.Name);
        if (outcome is not Outcome.Returned { IsError: false, Pointer: true } ret)
            return;
        ulong addr = (ulong)ret.Raw;
        if (call.Expected is ExpectBind bind)
            side.AddressVariables.Add(bind.Name);
        if (call.Call.Name == "brk")
        {
            side.Brk0 ??= addr;
            return;
        }
        if (call.Call.Name != "mmap")
            return;
        int flags = frame.I32(3);
        if ((flags & (Map.MAP_FIXED | Map.MAP_FIXED_NOREPLACE)) == 0)
            side.LastPlacement = addr;
        if (addr is < WindowStart or >= WindowEnd)
            side.Mapped.Add((addr, (frame.U64(1) + 4095) & ~4095UL));
    }

    // ---- state ----

    private readonly record struct StateLine(string Line, string? Known, string Key);

    /// <summary>The process's VMAs in the scenario's ranges (one line of maps and one of smaps fields each) and its status deltas.</summary>
    private List<StateLine> DescribeState(IScenarioProcess p, StructValue? baseline, Side side)
    {
        var lines = new List<StateLine>();
        foreach (var entry in SplitSmaps(p.ProcSmaps()))
        {
            var s = ProcText.ParseSmapsEntry(entry);
            ulong start = (ulong)((NumberValue)s["start"]!).Value;
            ulong end = (ulong)((NumberValue)s["end"]!).Value;
            string? where = RangeLabel(start, end, side);
            if (where is null)
                continue;
            lines.AddRange(Classify(SmapsLines(s, side, where)));
        }
        if (baseline is not null)
        {
            var now = ProcText.ParseStatus(p.ProcStatus());
            foreach (var field in s_statusFields)
            {
                if (now[field] is not NumberValue v || baseline[field] is not NumberValue b)
                    continue;
                // mlockall(MCL_CURRENT) locks, and populates, the runner's own mappings as well as the scenario's.
                string key = "status." + field + (field is "VmLck" or "RssAnon" && side.LockedAll.Contains(p.Tgid) ? ".after-mlockall" : "");
                string line = $"status {field} {(v.Value - b.Value >= 0 ? "+" : "")}{v.Value - b.Value} kB";
                lines.Add(new StateLine(line, known.TryGetReason(key, out var reason) ? reason : null, key));
            }
        }
        return lines;
    }

    /// <summary>Tags smaps field lines ("  Field=value", key "smaps.Field") that are known differences.</summary>
    private List<StateLine> Classify(List<string> lines)
    {
        var tagged = new List<StateLine>(lines.Count);
        foreach (var l in lines)
        {
            int eq = l.IndexOf('=');
            string key = l.StartsWith("  ", StringComparison.Ordinal) && eq > 2 ? "smaps." + l[2..eq] : "";
            tagged.Add(new StateLine(l, key.Length > 0 && known.TryGetReason(key, out var reason) ? reason : null, key));
        }
        return tagged;
    }

    /// <summary>Counts the known differences that did differ: reported beside the result, never silently dropped.</summary>
    private static void RecordKnown(List<StateLine> left, List<StateLine> right, SourcePos pos,
        Dictionary<string, KnownDifferenceHit> hits)
    {
        var rightByLine = right.Where(x => x.Known is not null).Select(x => x.Line).ToHashSet(StringComparer.Ordinal);
        foreach (var l in left.Where(x => x.Known is not null))
        {
            if (rightByLine.Contains(l.Line))
                continue;
            hits[l.Key] = hits.TryGetValue(l.Key, out var hit)
                ? hit with { Count = hit.Count + 1 }
                : new KnownDifferenceHit(l.Key, l.Known!, pos, 1);
        }
    }

    /// <summary>Which of the scenario's ranges a VMA belongs to, as a label both targets share; null if none.</summary>
    private static string? RangeLabel(ulong start, ulong end, Side side)
    {
        if (end > WindowStart && start < WindowEnd)
            return "";
        for (int i = 0; i < side.Mapped.Count; i++)
        {
            var (s, len) = side.Mapped[i];
            if (end > s && start < s + len)
                return $"@mmap{i}";
        }
        // The heap: [brk0, brk0 + 64 MiB). brk() never goes below the first break, so nothing under it is the heap's.
        if (side.Brk0 is { } brk && end > brk && start < brk + (64UL << 20))
            return "@brk0";
        return null;
    }

    private static List<string> SmapsLines(StructValue s, Side side, string where)
    {
        ulong start = (ulong)((NumberValue)s["start"]!).Value;
        ulong end = (ulong)((NumberValue)s["end"]!).Value;
        string range = where switch
        {
            "" => $"{Strace.Hex((long)start)}-{Strace.Hex((long)end)}",
            "<outside>" => $"<outside the scenario's ranges> size {Strace.Hex((long)(end - start))}",
            "@brk0" => $"{Address(start, side, false)}-{Address(end, side, false)}",
            _ => $"{where}+{Strace.Hex((long)(start - side.Mapped[int.Parse(where[5..], CultureInfo.InvariantCulture)].Start))}"
                + $" size {Strace.Hex((long)(end - start))}",
        };
        var name = s["name"] is StringValue n ? n.AsLatin1() : "";
        var lines = new List<string>
        {
            $"vma {range} {Text(s["perms"])} {Strace.Hex(((NumberValue)s["offset"]!).Value)} {name}".TrimEnd(),
        };
        foreach (var field in s_smapsFields)
        {
            if (s[field] is { } v)
                lines.Add($"  {field}={Text(v)}");
        }
        return lines;
    }

    private static string Text(ScenarioValue? v) => v switch
    {
        StringValue s => s.AsLatin1(),
        NumberValue n => n.Value.ToString(CultureInfo.InvariantCulture),
        null => "<absent>",
        _ => Strace.Value(v),
    };

    /// <summary>Splits /proc/PID/smaps into one text per VMA.</summary>
    internal static IEnumerable<string> SplitSmaps(string smaps)
    {
        var current = new StringBuilder();
        foreach (var line in smaps.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            bool header = line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.IndexOf('-') is > 0 and var dash
                && line.IndexOf(' ') > dash;
            if (header && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
            current.Append(line).Append('\n');
        }
        if (current.Length > 0)
            yield return current.ToString();
    }
}

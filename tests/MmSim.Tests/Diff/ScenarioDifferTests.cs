using MmSim.Scenario;
using MmSim.Scenario.Diff;
using MmSim.Tests.Scenario;

namespace MmSim.Tests.Diff;

public class ScenarioDifferTests
{
    private static DiffResult Diff(string text, KernelConfig? right = null)
    {
        var script = ScenarioParser.Parse(text, "t.mms");
        using var l = new ModelTarget();
        using var r = new ModelTarget(right);
        return new ScenarioDiffer(KnownDifferences.Default).Run(script, l, r);
    }

    public static TheoryData<string> Goldens()
    {
        var data = new TheoryData<string>();
        foreach (var root in new[] { "tests/scenarios", "examples" })
        {
            foreach (var f in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, root), "*.mms", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(RepoPaths.Root, f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void ModelAgainstItselfNeverDiverges(string file)
    {
        var script = ScenarioParser.ParseFile(Path.Combine(RepoPaths.Root, file));
        using var l = new ModelTarget();
        using var r = new ModelTarget();
        var result = new ScenarioDiffer(KnownDifferences.Default).Run(script, l, r);
        Assert.True(result.Same, result.Divergence?.Render() ?? result.Error?.ToString());
        Assert.Empty(result.Known);
    }

    [Fact]
    public void ADifferentResultIsReportedAsAUnifiedDiffAtItsLine()
    {
        var result = Diff("""
            mmap(0x100000000000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
            mprotect($a+4K, 4K, PROT_READ) = 0
            """, new KernelConfig { MaxMapCount = 2 });
        var d = Assert.IsType<Divergence>(result.Divergence);
        Assert.Equal(2, d.Pos.Line);
        Assert.Equal("result", d.Aspect);
        Assert.Equal("""
            t.mms:2: mprotect($a+4K, 4K, PROT_READ) = 0
            --- model
            +++ kernel
            @@ result @@
            -= 0
            += -1 ENOMEM (Cannot allocate memory)

            """.Replace("\r", ""), d.Render());
    }

    [Fact]
    public void AddressesCompareRelativeToTheirVariables()
    {
        // Different mmap_base placements: the same scenario, so the same relative results.
        var script = ScenarioParser.Parse("""
            mmap(NULL, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a
            mmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
            store($a+4K, "x")
            mprotect($a, 4K, PROT_READ) = 0
            store($a, "y")
            """, "t.mms");
        using var l = new ModelTarget();
        using var r = new ModelTarget();
        r.Main.Mmap(0, 1 << 20, 0, MmSim.Abi.Map.MAP_PRIVATE | MmSim.Abi.Map.MAP_ANONYMOUS, -1, 0);
        var result = new ScenarioDiffer(KnownDifferences.None).Run(script, l, r);
        Assert.True(result.Same, result.Divergence?.Render());
    }

    [Fact]
    public void StateDifferencesAfterAStatementAreFound()
    {
        // Same results, different state: THP "always" on the right makes a 4 MiB mapping THP-eligible.
        var result = Diff("""
            mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
            mmap(0x100000200000, 4M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
            """, new KernelConfig { TransparentHugepage = "always" });
        var d = Assert.IsType<Divergence>(result.Divergence);
        Assert.Equal(2, d.Pos.Line);
        Assert.Equal("main state", d.Aspect);
        string render = d.Render();
        // Only the change and three lines of context each side are shown.
        Assert.Contains("\n   Locked=0\n-  THPeligible=0\n+  THPeligible=1\n   VmFlags=rd wr mr mw me ac\n", render);
        Assert.DoesNotContain("vma 0x100000000000", render);
    }

    [Fact]
    public void AKnownDifferenceIsReportedApartInResultsAndState()
    {
        var script = ScenarioParser.Parse("""
            mmap(0x100000200000, 4M, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
            smaps($b)
            """, "t.mms");
        using var l = new ModelTarget();
        using var r = new ModelTarget(new KernelConfig { TransparentHugepage = "always" });
        var known = KnownDifferences.Parse("smaps.THPeligible  the sysfs setting differs\n", "k.txt");
        var result = new ScenarioDiffer(known).Run(script, l, r);
        Assert.True(result.Same, result.Divergence?.Render());
        var hit = Assert.Single(result.Known);
        Assert.Equal("smaps.THPeligible", hit.Key);
        Assert.Equal(1, hit.FirstPos.Line);
        Assert.Equal(3, hit.Count); // the state after line 1, and the result and the state of line 2
    }

    [Fact]
    public void KnownDifferencesParseAndNameTheirReasons()
    {
        var k = KnownDifferences.Parse("# c\nstatus.VmPTE  page tables of the runner\n\n", "k.txt");
        Assert.True(k.TryGetReason("status.VmPTE", out var reason));
        Assert.Equal("page tables of the runner", reason);
        var e = Assert.Throws<FormatException>(() => KnownDifferences.Parse("lonely\n", "k.txt"));
        Assert.StartsWith("k.txt:1:", e.Message);
        Assert.NotEmpty(KnownDifferences.Default.Reasons);
    }
}

/// <summary>Comparisons the differ makes beyond return values: out-parameters and meminfo's lock counters.</summary>
public class ScenarioDifferOutputTests
{
    [Fact]
    public void What_a_call_writes_through_an_out_parameter_is_compared()
    {
        var script = ScenarioParser.Parse("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0}) = 0", "t.mms");
        using var l = new ModelTarget();
        using var r = new ModelTarget(new KernelConfig { InitialCapabilities = CapSets.None });
        var d = Assert.IsType<Divergence>(new ScenarioDiffer(KnownDifferences.Default).Run(script, l, r).Divergence);
        Assert.Equal("result", d.Aspect);
        Assert.Contains("-datap <- {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}", d.Render());
        Assert.Contains("+datap <- {effective=0, permitted=0, inheritable=0}", d.Render());
    }

    [Fact]
    public void Meminfo_compares_locked_and_swap_counters_as_changes_since_the_start()
    {
        var script = ScenarioParser.Parse("""
            mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
            meminfo()
            mlock($a, 8K) = 0
            meminfo()
            """, "t.mms");
        using var l = new ModelTarget();
        // The right side's machine has 100 kB locked before the scenario (same change), then one page more once the
        // scenario has locked something (a change of its own).
        using var r = new SkewedMeminfo(new ModelTarget(), before: 100, skewOnceLocked: 4);
        var d = Assert.IsType<Divergence>(new ScenarioDiffer(KnownDifferences.Default).Run(script, l, r).Divergence);
        Assert.Equal(4, d.Pos.Line);
        Assert.Equal(["meminfo Mlocked +8 kB", "meminfo Unevictable +8 kB", "meminfo SwapCached +0 kB", "meminfo SwapTotal +0 kB",
            "meminfo SwapFree +0 kB"], d.Left);
        Assert.Equal(["meminfo Mlocked +12 kB", "meminfo Unevictable +12 kB", "meminfo SwapCached +0 kB", "meminfo SwapTotal +0 kB",
            "meminfo SwapFree +0 kB"], d.Right);
    }

    /// <summary>A model whose meminfo adds <c>before</c> kB to the lock counters, and <c>skewOnceLocked</c> more once they are not 0.</summary>
    private sealed class SkewedMeminfo(ModelTarget inner, long before, long skewOnceLocked) : IScenarioTarget
    {
        public IScenarioProcess Main => inner.Main;

        public IReadOnlyList<IScenarioProcess> Processes => inner.Processes;

        public IScenarioProcess? FindProcess(int pid) => inner.FindProcess(pid);

        public string ProcMeminfo() => string.Join('\n', inner.ProcMeminfo().Split('\n').Select(line =>
        {
            if (!line.StartsWith("Mlocked:", StringComparison.Ordinal) && !line.StartsWith("Unevictable:", StringComparison.Ordinal))
                return line;
            var colon = line.IndexOf(':');
            var kb = long.Parse(line[(colon + 1)..^3].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return $"{line[..(colon + 1)]} {kb + before + (kb != 0 ? skewOnceLocked : 0)} kB";
        }));

        public string ProcVmstat() => inner.ProcVmstat();

        public void Validate() => inner.Validate();

        public Outcome Invoke(CallSpec call, CallFrame frame) => inner.Invoke(call, frame);

        public void Settle() => inner.Settle();

        public Outcome? Resume(IScenarioProcess task) => inner.Resume(task);

        public bool IsBlocked(IScenarioProcess task) => inner.IsBlocked(task);

        public void Dispose() => inner.Dispose();
    }
}

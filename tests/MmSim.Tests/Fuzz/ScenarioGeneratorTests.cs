using MmSim.Scenario;
using MmSim.Scenario.Diff;
using MmSim.Scenario.Fuzz;

namespace MmSim.Tests.Fuzz;

public sealed class ScenarioGeneratorTests
{
    private const int Scenarios = 200;
    private const int OpsPerScenario = 200;

    [Fact]
    public void The_same_seed_gives_the_same_text()
    {
        var options = new FuzzOptions { Seed = 42, Ops = 300, Procs = 3 };
        Assert.Equal(ScenarioGenerator.Generate(options), ScenarioGenerator.Generate(options with { }));
    }

    [Fact]
    public void Different_seeds_give_different_scenarios()
    {
        var texts = Enumerable.Range(0, 20)
            .Select(seed => string.Join('\n', ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 50 })).Statements))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(20, texts.Count);
    }

    /// <summary>SplitMix64's published sequence: a seed must name the same scenario on every .NET version.</summary>
    [Fact]
    public void The_prng_is_splitmix64()
    {
        var random = new FuzzRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
    }

    [Fact]
    public void The_header_names_the_options_and_the_prologue_binds_the_break()
    {
        var lines = ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = 3, Ops = 25, Procs = 4 }));
        Assert.Equal("# mmsim fuzz --seed 3 --ops 25 --procs 4", lines.Header[0]);
        Assert.Equal(ScenarioGenerator.Prologue, lines.Statements[0]);
        Assert.Equal(26, lines.Statements.Count);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = 1, Procs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = 1, ArenaBase = 0x7000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(new FuzzOptions { Ops = 1, ArenaBase = 0x100000000001 }));
    }

    [Fact]
    public void Every_op_of_the_mix_is_generated()
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 20; seed++)
        {
            var options = new FuzzOptions { Seed = seed, Ops = 300, Procs = 3, Capabilities = true, Userfaultfd = true, Swap = true };
            var script = ScenarioParser.Parse(ScenarioGenerator.Generate(options), "fuzz.mms");
            foreach (var statement in script.Statements)
            {
                calls.Add(statement switch
                {
                    CallStatement { Unfinished: true } call => call.Call.Name + " <unfinished ...>",
                    CallStatement call => call.Call.Name,
                    ResumedStatement => "resumed",
                    _ => "",
                });
            }
        }
        // The userfaultfd ops are made of calls with other names.
        var expected = ScenarioGenerator.Ops.Select(op => op.Name.Split(' ')[0]).Where(name => name != "uffd")
            .Concat(["ioctl", "read", "poll", "close", "thread", "pidfd_open", "swapon_file", "sysctl", "munmap <unfinished ...>", "mremap <unfinished ...>", "madvise <unfinished ...>", "touch <unfinished ...>", "store <unfinished ...>", "load <unfinished ...>", "fork <unfinished ...>", "resumed"])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(calls, expected);
    }

    /// <summary>userfaultfd ops only with FuzzOptions.Userfaultfd; without it the scenarios are what they were.</summary>
    [Fact]
    public void Userfaultfd_is_fuzzed_only_when_asked_for()
    {
        for (var seed = 0; seed < 10; seed++)
        {
            var plain = ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3 });
            var uffd = ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3, Userfaultfd = true });
            Assert.DoesNotContain("userfaultfd(", plain, StringComparison.Ordinal);
            Assert.DoesNotContain("<unfinished ...>", plain, StringComparison.Ordinal);
            Assert.Contains("userfaultfd(", uffd, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Scenarios with userfaultfd run to the end on two models side by side (as <c>mmsim fuzz</c> runs them on the
    /// model and the kernel): no runtime error (a thread called while blocked, a resumed line without its call, a
    /// dead process named), no model exception, the same results on both, and a valid kernel state at the end. A
    /// good share of the fault episodes really block.
    /// </summary>
    [Fact]
    public void Generated_userfaultfd_scenarios_run_on_the_model()
    {
        var failures = new List<string>();
        int blocked = 0, episodes = 0, forks = 0;
        Parallel.For(0, Scenarios / 2, seed =>
        {
            // With capabilities, contexts with UFFD_FEATURE_EVENT_FORK and fork episodes too.
            var options = new FuzzOptions { Seed = seed, Ops = OpsPerScenario, Procs = 2 + (seed % 3), Userfaultfd = true, Capabilities = seed % 2 == 0 };
            var text = ScenarioGenerator.Generate(options);
            var script = ScenarioParser.Parse(text, "fuzz.mms");
            using var left = new CountingModel();
            using var right = new ModelTarget();
            string? failure;
            try
            {
                var result = new ScenarioDiffer(KnownDifferences.Default).Run(script, left, right);
                left.Validate();
                right.Validate();
                failure = result.Error?.ToString() ?? result.Divergence?.Render();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = e.ToString();
            }
            lock (failures)
            {
                if (failure is not null)
                    failures.Add($"seed {seed} (--procs {options.Procs}): {failure}");
                blocked += left.Blocked;
                episodes += script.Statements.Count(s => s is CallStatement { Unfinished: true });
                forks += script.Statements.Count(s => s is CallStatement { Unfinished: true, Call.Name: "fork" });
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures.Order(StringComparer.Ordinal)));
        Assert.True(episodes > 300, $"{episodes} fault episodes");
        Assert.True(forks >= 5, $"{forks} fork episodes");
        Assert.True(blocked > episodes / 8, $"{blocked} of {episodes} fault episodes blocked");
    }

    /// <summary>capset and capget only with FuzzOptions.Capabilities, and without it the scenarios are unchanged by them.</summary>
    [Fact]
    public void Capabilities_are_fuzzed_only_when_asked_for()
    {
        var raised = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var plain = ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3 });
            var privileged = ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3, Capabilities = true });
            Assert.DoesNotContain("capset(", plain, StringComparison.Ordinal);
            Assert.DoesNotContain("capget(", plain, StringComparison.Ordinal);
            raised += privileged.Contains("capset(", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.True(raised >= 8, $"capset() in {raised} of 10 scenarios");
    }

    /// <summary>
    /// mlockall comes with MCL_FUTURE, MCL_FUTURE|MCL_ONFAULT and invalid flags, and munlockall is generated, but
    /// MCL_CURRENT never is: on the kernel it would lock the host runner's own mappings.
    /// </summary>
    [Fact]
    public void Mlockall_is_generated_without_MCL_CURRENT()
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 40; seed++)
        {
            foreach (var line in ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3 })).Statements)
            {
                Assert.DoesNotContain("MCL_CURRENT", line, StringComparison.Ordinal);
                var at = line.IndexOf("lockall(", StringComparison.Ordinal);
                if (at >= 0)
                    calls.Add(line[(at - (line[at - 1] == 'n' ? 3 : 1))..]);
            }
        }
        Assert.Subset(calls, new HashSet<string>(StringComparer.Ordinal)
        {
            "mlockall(MCL_FUTURE)", "mlockall(MCL_FUTURE|MCL_ONFAULT)", "mlockall(MCL_ONFAULT)", "mlockall(0)", "munlockall()",
        });
    }

    /// <summary>
    /// No munlockall in a process after brk() ran there under mlockall(MCL_FUTURE): on the kernel, clearing VM_LOCKED
    /// on the heap merges it into the host runner's bss below the first break, which the model does not have.
    /// A fork child starts with neither def_flags nor locked VMAs.
    /// </summary>
    [Fact]
    public void No_munlockall_after_locked_heap_growth()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var future = new HashSet<string>(StringComparer.Ordinal);
            var lockedHeap = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in ScenarioShrinker.Split(ScenarioGenerator.Generate(new FuzzOptions { Seed = seed, Ops = 300, Procs = 3 })).Statements)
            {
                var pid = line.StartsWith("[pid ", StringComparison.Ordinal) ? line[5..line.IndexOf(']', StringComparison.Ordinal)] : "$main";
                var call = line.StartsWith("[pid ", StringComparison.Ordinal) ? line[(line.IndexOf(']', StringComparison.Ordinal) + 2)..] : line;
                if (call.StartsWith("fork()", StringComparison.Ordinal))
                {
                    var child = call[call.LastIndexOf('$')..];
                    future.Remove(child);
                    lockedHeap.Remove(child);
                }
                else if (call.StartsWith("mlockall(MCL_FUTURE)", StringComparison.Ordinal) || call.StartsWith("mlockall(MCL_FUTURE|MCL_ONFAULT)", StringComparison.Ordinal))
                {
                    future.Add(pid);
                }
                else if (call.StartsWith("brk(", StringComparison.Ordinal) && future.Contains(pid))
                {
                    lockedHeap.Add(pid);
                }
                else if (call.StartsWith("munlockall()", StringComparison.Ordinal))
                {
                    Assert.False(lockedHeap.Contains(pid), $"seed {seed}: {line} after a locked brk()");
                    future.Remove(pid);
                }
            }
        }
    }

    /// <summary>
    /// Generated scenarios parse and run to the end on the model with validation after every statement: no
    /// model bug (invariant violation or exception) and no runtime error (which would mean the generator
    /// wrote an invalid scenario, e.g. one naming a dead process). Bindings cannot fail, so each one passes.
    /// </summary>
    [Fact]
    public void Generated_scenarios_run_on_the_model()
    {
        var failures = new List<string>();
        Parallel.For(0, Scenarios, seed =>
        {
            var options = new FuzzOptions { Seed = seed, Ops = OpsPerScenario, Procs = 2 + (seed % 3) };
            var text = ScenarioGenerator.Generate(options);
            var failure = RunOnModel(text);
            if (failure is not null)
            {
                lock (failures)
                    failures.Add($"seed {seed} (--procs {options.Procs}): {failure}");
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures.Order(StringComparer.Ordinal)));
    }

    internal static ScenarioFailure? RunOnModel(string text)
    {
        var script = ScenarioParser.Parse(text, "fuzz.mms");
        using var target = new ModelTarget();
        return new ScenarioRunner(TextWriter.Null, new ScenarioRunOptions { Validate = true }).Run(script, target).Failure;
    }

    /// <summary>A model target that counts the calls that blocked.</summary>
    private sealed class CountingModel : IScenarioTarget
    {
        private readonly ModelTarget _model = new();

        public int Blocked { get; private set; }

        public IScenarioProcess Main => _model.Main;
        public IReadOnlyList<IScenarioProcess> Processes => _model.Processes;
        public IScenarioProcess? FindProcess(int pid) => _model.FindProcess(pid);
        public string ProcMeminfo() => _model.ProcMeminfo();
        public string ProcVmstat() => _model.ProcVmstat();
        public void Validate() => _model.Validate();
        public void Settle() => _model.Settle();
        public Outcome? Resume(IScenarioProcess task) => _model.Resume(task);
        public bool IsBlocked(IScenarioProcess task) => _model.IsBlocked(task);
        public void Dispose() => _model.Dispose();

        public Outcome Invoke(CallSpec call, CallFrame frame)
        {
            var outcome = _model.Invoke(call, frame);
            if (outcome is Outcome.Blocked)
                Blocked++;
            return outcome;
        }
    }
}

using System.CommandLine;
using MmSim.Scenario.Diff;
using MmSim.Scenario.Fuzz;

namespace MmSim.Cli;

/// <summary><c>mmsim fuzz --seed S --ops N [--procs P] [--length L] [--swap] [--out DIR]</c>: random scenarios, model against kernel.</summary>
internal sealed class FuzzVerb
{
    private readonly CliContext _context;
    private readonly Option<int> _seed = new("--seed") { Description = "The first seed; scenario i uses seed S+i.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _ops = new("--ops") { Description = "How many operations to generate in all.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _procs = new("--procs") { Description = "Processes alive at once at most, $main included.", DefaultValueFactory = _ => 2 };
    private readonly Option<int> _length = new("--length") { Description = "Operations per scenario.", DefaultValueFactory = _ => 200 };
    private readonly Option<bool> _capabilities = new("--capabilities")
    {
        Description = "Also raise and drop CAP_IPC_LOCK with capset() (and, with --userfaultfd, CAP_SYS_PTRACE for "
            + "contexts with UFFD_FEATURE_EVENT_FORK). The default is on when running as root, the only case where the "
            + "kernel runner holds them.",
        DefaultValueFactory = _ => Environment.IsPrivilegedProcess,
    };
    private readonly Option<bool> _userfaultfd = new("--userfaultfd")
    {
        Description = "Also use userfaultfd: registrations, the range ioctls, fault messages, threads that block "
            + "on a registered page until it is resolved, non-cooperative events, and forks that wait for their FORK event.",
    };
    private readonly Option<bool> _swap = new("--swap")
    {
        Description = "Start each scenario with a 4 MiB swap file on (swapon_file(4M); readahead off), so that "
            + "MADV_PAGEOUT swaps pages out. The default is on when running as root, which the kernel target needs for it.",
        DefaultValueFactory = _ => Environment.IsPrivilegedProcess,
    };
    private readonly Option<bool> _print = new("--print")
    {
        Description = "Print the generated scenarios instead of running them (to read them, or to run them with "
            + "'mmsim run' or 'mmsim diff').",
    };
    private readonly Option<string> _out = new("--out")
    {
        Description = "Where to write each divergence's minimal scenario (fuzz-SEED.mms).",
        HelpName = "DIR",
        DefaultValueFactory = _ => ".",
    };

    public FuzzVerb(CliContext context)
    {
        _context = context;
        Command = new Command("fuzz",
            "Generate random scenarios over a small arena and run each on the model and on this machine's kernel "
            + "(as 'mmsim diff' does). A divergent scenario is shrunk to a minimal one that still diverges, written "
            + "to --out as the bug report, and printed with its seed. The same seed gives the same scenario.")
        {
            _seed, _ops, _procs, _length, _capabilities, _userfaultfd, _swap, _print, _out,
        };
        Command.SetAction(parse => (int)Execute(parse.GetValue(_seed), parse.GetValue(_ops), parse.GetValue(_procs),
            parse.GetValue(_length), parse.GetValue(_capabilities), parse.GetValue(_userfaultfd), parse.GetValue(_swap),
            parse.GetValue(_print), parse.GetValue(_out)!));
    }

    public Command Command { get; }

    private ExitCode Execute(int seed, int ops, int procs, int length, bool capabilities, bool userfaultfd, bool swap, bool print, string outDir)
    {
        if (ops < 1 || length < 1 || procs < 1)
        {
            _context.Error.WriteLine("mmsim: --ops, --length and --procs must be at least 1");
            return ExitCode.BadInput;
        }
        if (print)
        {
            for (int s = seed, generated = 0; generated < ops; s++)
            {
                int n = Math.Min(length, ops - generated);
                generated += n;
                _context.Output.Write(ScenarioGenerator.Generate(new FuzzOptions
                {
                    Seed = s, Ops = n, Procs = procs, Capabilities = capabilities, Userfaultfd = userfaultfd, Swap = swap,
                }));
            }
            return ExitCode.Passed;
        }
        var fuzzer = new Fuzzer(_context.NewTarget, _context.NewKernelTarget, KnownDifferences.Default);
        int passed = 0, failed = 0, done = 0;
        try
        {
            for (int s = seed; done < ops; s++)
            {
                int n = Math.Min(length, ops - done);
                done += n;
                var finding = fuzzer.RunOne(new FuzzOptions
                {
                    Seed = s, Ops = n, Procs = procs, Capabilities = capabilities, Userfaultfd = userfaultfd, Swap = swap,
                });
                if (finding is null)
                {
                    passed++;
                    continue;
                }
                failed++;
                Directory.CreateDirectory(outDir);
                string path = Path.Combine(outDir, $"fuzz-{s}.mms");
                File.WriteAllText(path, finding.Report);
                _context.Output.WriteLine(finding.Divergence is null
                    ? $"seed {s}: cannot run as generated (a bug in mmsim); the scenario is in {path}"
                    : $"seed {s}: diverged; minimal scenario ({finding.Report.Count(c => c == '\n')} lines) in {path}");
                _context.Output.Write(finding.Render());
                _context.Output.WriteLine();
            }
        }
        catch (HostUnavailable e)
        {
            _context.Error.WriteLine($"mmsim: the host kernel cannot run scenarios here: {e.Message}");
            return ExitCode.BadInput;
        }
        _context.Output.WriteLine($"{done} operations in {passed + failed} scenarios");
        _context.Output.WriteLine($"{passed} passed, {failed} failed");
        return failed > 0 ? ExitCode.Failed : ExitCode.Passed;
    }
}

using System.CommandLine;
using MmSim.Scenario;
using MmSim.Scenario.Diff;

namespace MmSim.Cli;

/// <summary><c>mmsim diff FILE|DIR... [--known FILE]</c>: each scenario on the model and on the host's kernel, compared.</summary>
internal sealed class DiffVerb
{
    private readonly CliContext _context;
    private readonly Argument<string[]> _paths = new("FILE|DIR")
    {
        Description = "Scenario files, or directories searched recursively for *.mms files.",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string?> _known = new("--known")
    {
        Description = "The known-differences file to use instead of the built-in one (KEY  reason per line).",
        HelpName = "FILE",
    };

    public DiffVerb(CliContext context)
    {
        _context = context;
        _paths.RejectingOptions();
        Command = new Command("diff",
            "Run each scenario on the model and on this machine's Linux kernel, statement by statement, and print the "
            + "first divergence per file as a unified diff: results (return values, errno, signals, bytes loaded, smaps "
            + "fields) and, after every statement, the maps, smaps and status of the ranges the scenario works on. "
            + "Known differences are listed apart. Ends with 'N passed, N failed'.")
        {
            _paths, _known,
        };
        Command.SetAction(parse => (int)Execute(parse.GetValue(_paths)!, parse.GetValue(_known)));
    }

    public Command Command { get; }

    private ExitCode Execute(string[] paths, string? knownPath)
    {
        KnownDifferences known;
        try
        {
            known = knownPath is null ? KnownDifferences.Default : KnownDifferences.Parse(File.ReadAllText(knownPath), knownPath);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            _context.Error.WriteLine($"mmsim: {e.Message}");
            return ExitCode.BadInput;
        }

        int passed = 0, failed = 0;
        bool badInput = false;
        var knownHits = new Dictionary<string, (KnownDifferenceHit Hit, int Files)>(StringComparer.Ordinal);
        foreach (var file in paths.SelectMany(ScenarioFile.Expand))
        {
            if (ScenarioFile.Load(file, out var error) is not { } script)
            {
                _context.Output.WriteLine(error.Report);
                failed++;
                badInput = true;
                continue;
            }
            DiffResult result;
            try
            {
                using var model = _context.NewTarget();
                using var kernel = _context.NewKernelTarget();
                result = new ScenarioDiffer(known).Run(script, model, kernel);
            }
            catch (HostUnavailable e)
            {
                _context.Error.WriteLine($"mmsim: the host kernel cannot run scenarios here: {e.Message}");
                return ExitCode.BadInput;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A target threw where a syscall returns: a bug in MmSim. Report it for this file and go on.
                failed++;
                _context.Output.WriteLine($"{file}: model bug: {e.GetType().Name}: {SourceText.Printable(e.Message)}");
                _context.Output.WriteLine();
                continue;
            }
            foreach (var hit in result.Known)
                knownHits[hit.Key] = knownHits.TryGetValue(hit.Key, out var h) ? (h.Hit, h.Files + 1) : (hit, 1);
            if (result.Same)
            {
                passed++;
                continue;
            }
            failed++;
            _context.Output.Write(result.Divergence?.Render() ?? $"{result.Error}\n");
            _context.Output.WriteLine();
        }
        if (knownHits.Count > 0)
        {
            _context.Output.WriteLine("known differences (not counted):");
            foreach (var (key, (hit, files)) in knownHits.OrderBy(k => k.Key, StringComparer.Ordinal))
                _context.Output.WriteLine($"  {key} differed in {files} file(s), first at {hit.FirstPos.FileLine}: {hit.Reason}");
        }
        _context.Output.WriteLine($"{passed} passed, {failed} failed");
        return badInput ? ExitCode.BadInput : failed > 0 ? ExitCode.Failed : ExitCode.Passed;
    }
}

/// <summary>Thrown by a kernel-target factory when this machine cannot run scenarios on its kernel.</summary>
public sealed class HostUnavailable(string message) : Exception(message);

/// <summary>A target could not turn on the swap <c>--swap</c> asked for.</summary>
public sealed class SwapUnavailable(string message) : Exception(message);

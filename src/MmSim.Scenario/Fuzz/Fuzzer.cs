using MmSim.Scenario.Diff;

namespace MmSim.Scenario.Fuzz;

/// <summary>
/// What the fuzzer found: a divergence, shrunk (the minimal scenario is the bug report), or a generated scenario that
/// could not run as written (a bug in the generator or a target, reported whole).
/// </summary>
/// <param name="Seed">The seed of the generated scenario.</param>
/// <param name="Divergence">How the minimal scenario diverges; null for an error.</param>
/// <param name="Error">Why the generated scenario could not run; null for a divergence.</param>
/// <param name="Report">The scenario as a .mms file, with a header naming the seed and the finding.</param>
/// <param name="OriginalStatements">How many statements the generated scenario had.</param>
public sealed record FuzzFinding(int Seed, Divergence? Divergence, ScenarioFailure? Error, string Report, int OriginalStatements)
{
    /// <summary>The divergence as <c>mmsim diff</c> prints it, or the error.</summary>
    public string Render() => Divergence?.Render() ?? $"{Error}\n";
}

/// <summary>
/// Generates scenarios, diffs each on two targets (the model and the kernel), and shrinks a divergent one to a
/// minimal scenario that still diverges the same way (same call, same aspect).
/// </summary>
public sealed class Fuzzer(Func<IScenarioTarget> left, Func<IScenarioTarget> right, KnownDifferences known)
{
    /// <summary>Runs one generated scenario; null when both targets agree throughout.</summary>
    public FuzzFinding? RunOne(FuzzOptions options)
    {
        string text = ScenarioGenerator.Generate(options);
        var lines = ScenarioShrinker.Split(text);
        var whole = DiffResult(lines.Statements);
        if (whole.Error is { } error)
        {
            string why = $"mmsim fuzz --seed {options.Seed}: the generated scenario cannot run as written: {error}";
            return new FuzzFinding(options.Seed, null, error, ScenarioShrinker.Render(lines.Statements, why), lines.Statements.Count);
        }
        if (whole.Divergence is not { } first)
            return null;

        string call = CallName(first.Statement);
        bool SameFailure(IReadOnlyList<string> candidate) =>
            Diff(candidate) is { } d && CallName(d.Statement) == call && AspectKind(d.Aspect) == AspectKind(first.Aspect);

        // A real machine is not quiet: other processes on the CPU drain its folio batches (and with them the LRU state
        // a page shows) at times no scenario controls. A divergence that a second run does not show again is that noise.
        if (!SameFailure(lines.Statements))
            return null;

        var minimal = ScenarioShrinker.Shrink(lines.Statements, SameFailure);
        var divergence = Diff(minimal) ?? first;
        string header = $"mmsim fuzz --seed {options.Seed} --ops {options.Ops} --procs {options.Procs}: "
            + $"shrunk from {lines.Statements.Count} statements\n"
            + $"diverges at statement {divergence.Pos.Line - 2} ({divergence.Aspect}): {divergence.Statement}";
        return new FuzzFinding(options.Seed, divergence, null, ScenarioShrinker.Render(minimal, header), lines.Statements.Count);
    }

    private Divergence? Diff(IReadOnlyList<string> statements) => DiffResult(statements).Divergence;

    private DiffResult DiffResult(IReadOnlyList<string> statements)
    {
        var script = ScenarioParser.Parse(string.Join('\n', statements), "fuzz.mms");
        using var l = left();
        using var r = right();
        return new ScenarioDiffer(known).Run(script, l, r);
    }

    private static string CallName(string statement)
    {
        int paren = statement.IndexOf('(');
        string head = paren < 0 ? statement : statement[..paren];
        int bracket = head.LastIndexOf(']');
        return head[(bracket + 1)..].Trim();
    }

    private static string AspectKind(string aspect) => aspect == "result" ? "result" : "state";
}
